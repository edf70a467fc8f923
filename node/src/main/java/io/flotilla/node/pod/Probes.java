package io.flotilla.node.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.flotilla.node.runtime.Runtime;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * kubelet's prober: one worker per probe of each running container, every {@code periodSeconds}
 * after {@code initialDelaySeconds}, each try bounded by {@code timeoutSeconds}; a result flips
 * after {@code successThreshold} successes or {@code failureThreshold} failures in a row. Liveness
 * and readiness wait for the startup probe to succeed. A flip calls back with the pod's key so its
 * worker syncs; the sync reads {@link #started}, {@link #ready} and {@link #livenessFailed}.
 *
 * <p>Threading: probes run on this class's own small scheduled pool (they block up to their
 * timeout); results are in concurrent maps read by pod workers.
 */
public final class Probes implements AutoCloseable {
  private final ScheduledThreadPoolExecutor pool;
  private final Consumer<String> onChange;
  private final Map<String, Workers> byContainer = new ConcurrentHashMap<>();

  public Probes(int threads, Consumer<String> onChange) {
    this.pool =
        new ScheduledThreadPoolExecutor(
            threads, Thread.ofPlatform().daemon().name("flotilla-prober-", 0).factory());
    this.pool.setRemoveOnCancelPolicy(true);
    this.onChange = onChange;
  }

  private enum Kind {
    STARTUP,
    READINESS,
    LIVENESS
  }

  private final class Workers {
    final String podKey;
    final Container container;
    volatile boolean started;
    volatile boolean ready;
    volatile boolean livenessFailed;
    final Map<Kind, ScheduledFuture<?>> futures = new ConcurrentHashMap<>();

    Workers(String podKey, Container c) {
      this.podKey = podKey;
      this.container = c;
      this.started = c.getStartupProbe() == null;
      this.ready = c.getReadinessProbe() == null;
    }
  }

  /** Starts probing a container that just started; a no-op for one without probes. */
  public void add(String podKey, String containerId, Container c, Runtime rt, String podIp) {
    if (c.getStartupProbe() == null
        && c.getReadinessProbe() == null
        && c.getLivenessProbe() == null) {
      return;
    }
    Workers w = new Workers(podKey, c);
    if (byContainer.putIfAbsent(containerId, w) != null) {
      return;
    }
    schedule(w, Kind.STARTUP, c.getStartupProbe(), containerId, rt, podIp);
    schedule(w, Kind.READINESS, c.getReadinessProbe(), containerId, rt, podIp);
    schedule(w, Kind.LIVENESS, c.getLivenessProbe(), containerId, rt, podIp);
  }

  private void schedule(
      Workers w, Kind kind, Probe p, String containerId, Runtime rt, String podIp) {
    if (p == null) {
      return;
    }
    long delay = p.getInitialDelaySeconds() == null ? 0 : p.getInitialDelaySeconds();
    long period = p.getPeriodSeconds() == null ? 10 : Math.max(1, p.getPeriodSeconds());
    Duration timeout =
        Duration.ofSeconds(p.getTimeoutSeconds() == null ? 1 : Math.max(1, p.getTimeoutSeconds()));
    int successNeeded = p.getSuccessThreshold() == null ? 1 : p.getSuccessThreshold();
    int failureNeeded = p.getFailureThreshold() == null ? 3 : p.getFailureThreshold();
    int[] runs = new int[2]; // successes, failures in a row
    Runnable probe =
        () -> {
          if (kind != Kind.STARTUP && !w.started) {
            return;
          }
          if (kind == Kind.STARTUP && w.started || kind == Kind.LIVENESS && w.livenessFailed) {
            return;
          }
          String failure = run(p, w.container, containerId, rt, podIp, timeout);
          if (failure == null) {
            runs[0]++;
            runs[1] = 0;
          } else {
            runs[0] = 0;
            runs[1]++;
          }
          boolean changed = false;
          switch (kind) {
            case STARTUP -> {
              if (runs[0] >= successNeeded) {
                w.started = true;
                changed = true;
              } else if (runs[1] >= failureNeeded) {
                w.livenessFailed = true;
                changed = true;
              }
            }
            case READINESS -> {
              if (!w.ready && runs[0] >= successNeeded) {
                w.ready = true;
                changed = true;
              } else if (w.ready && runs[1] >= failureNeeded) {
                w.ready = false;
                changed = true;
              }
            }
            case LIVENESS -> {
              if (runs[1] >= failureNeeded) {
                w.livenessFailed = true;
                changed = true;
              }
            }
          }
          if (changed) {
            onChange.accept(w.podKey);
          }
        };
    w.futures.put(
        kind,
        pool.scheduleWithFixedDelay(
            () -> {
              try {
                probe.run();
              } catch (RuntimeException e) {
                // A probe that throws counts as nothing; the next period tries again.
              }
            },
            delay,
            period,
            TimeUnit.SECONDS));
  }

  static String run(
      Probe p, Container c, String containerId, Runtime rt, String podIp, Duration timeout) {
    try {
      if (p.getExec() != null) {
        return Handlers.exec(rt, containerId, p.getExec(), timeout);
      }
      if (p.getHttpGet() != null) {
        return Handlers.httpGet(p.getHttpGet(), c, podIp, timeout);
      }
      if (p.getTcpSocket() != null) {
        return Handlers.tcp(p.getTcpSocket(), c, podIp, timeout);
      }
      return "probe has no handler (exec, httpGet, tcpSocket)";
    } catch (ConfigError e) {
      return e.getMessage();
    }
  }

  /** Whether the container's startup probe has succeeded (true without one). */
  public boolean started(String containerId) {
    Workers w = byContainer.get(containerId);
    return w == null || w.started;
  }

  /** Whether the container is ready by its readiness probe (true without one). */
  public boolean ready(String containerId) {
    Workers w = byContainer.get(containerId);
    return w == null || (w.started && w.ready);
  }

  /** Whether the liveness (or startup) probe failed: the container must be restarted. */
  public boolean livenessFailed(String containerId) {
    Workers w = byContainer.get(containerId);
    return w != null && w.livenessFailed;
  }

  /** Whether probes run for this container. */
  public boolean probing(String containerId) {
    return byContainer.containsKey(containerId);
  }

  /** Stops probing a container (it exited or was removed); idempotent. */
  public void remove(String containerId) {
    Workers w = byContainer.remove(containerId);
    if (w != null) {
      w.futures.values().forEach(f -> f.cancel(false));
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
    byContainer.clear();
  }
}
