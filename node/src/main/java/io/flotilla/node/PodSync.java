package io.flotilla.node;

import io.fabric8.kubernetes.api.model.Quantity;
import io.flotilla.node.PodView.ContainerShape;
import io.flotilla.node.PodView.PodShape;
import io.flotilla.node.runtime.ContainerStatus;
import io.flotilla.node.runtime.PodSandboxConfig;
import io.flotilla.node.runtime.PodSandboxStatus;
import io.flotilla.node.runtime.Runtime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One pass of kubelet's syncPod for one pod against its node's {@link Runtime}: make sure the
 * sandbox exists, run init containers in order, then the app containers, restart exited ones as the
 * restartPolicy says (with a doubling back-off), and work out the status to report. Returns the
 * status and, when something is due later (a restart, a readiness delay), how long to wait.
 *
 * <p>Threading: stateless apart from its configuration; called by the pod worker holding the pod's
 * key, which owns the {@link PodRecord}.
 */
final class PodSync {
  private final Clock clock;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Function<PodView, Duration> readinessDelay;
  private final PodFeatures features;
  private final Duration backoffReset;
  private final ContainerReports reports;

  PodSync(
      String runtimeName,
      Clock clock,
      Duration initialBackoff,
      Duration maxBackoff,
      Function<PodView, Duration> readinessDelay) {
    this(
        runtimeName,
        clock,
        initialBackoff,
        maxBackoff,
        readinessDelay,
        null,
        Duration.ofMinutes(10));
  }

  /** With {@code features} non-null, containers run with their whole spec (see PodFeatures). */
  PodSync(
      String runtimeName,
      Clock clock,
      Duration initialBackoff,
      Duration maxBackoff,
      Function<PodView, Duration> readinessDelay,
      PodFeatures features,
      Duration backoffReset) {
    this.features = features;
    this.backoffReset = backoffReset;
    this.reports = new ContainerReports(runtimeName, features);
    this.clock = clock;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.readinessDelay = readinessDelay;
  }

  /** What one sync decided: the status to report and when to look again (null: on events only). */
  record Result(PodStatusPatch status, Duration recheckAfter) {}

  Result sync(PodView pod, PodRecord rec, Runtime runtime, String hostIp) {
    return sync(pod, rec, runtime, hostIp, Map.of());
  }

  Result sync(
      PodView pod,
      PodRecord rec,
      Runtime runtime,
      String hostIp,
      Map<String, Quantity> allocatable) {
    Instant now = clock.instant();
    PodSandboxConfig sandbox = sandboxConfig(pod);
    if (rec.sandboxId == null) {
      rec.sandboxId = runtime.runPodSandbox(sandbox);
      if (!sandbox.logDirectory().isEmpty()) {
        rec.logDirectory = java.nio.file.Path.of(sandbox.logDirectory());
      }
      PodSandboxStatus st = runtime.podSandboxStatus(rec.sandboxId);
      rec.podIp = st.ip();
      rec.startTime = now;
      rec.readyTransition = now;
    }
    PodShape shape = pod.shape();
    Duration recheck = null;
    boolean full = features != null && pod.pod() != null;
    if (full && !rec.sandboxStopped) {
      features.volumes(pod, rec, hostIp, allocatable);
    }
    ContainerStarter starter =
        new ContainerStarter(features, runtime, rec, sandbox, pod, hostIp, allocatable);
    List<ContainerStatus> all = runtime.listContainers(rec.sandboxId);

    // Init containers, one at a time in spec order; the app containers wait for all of them.
    List<PodStatusPatch.Container> initStatuses = new ArrayList<>();
    List<String> uninitialized = new ArrayList<>();
    boolean initFailed = false;
    boolean mayStartNext = !rec.sandboxStopped;
    for (ContainerShape c : shape.initContainers()) {
      ContainerStatus[] attempts = latestTwo(all, c.name());
      ContainerStatus cur = attempts[0];
      if (cur == null && mayStartNext) {
        starter.start(c, 0, true);
        all = runtime.listContainers(rec.sandboxId);
        cur = latestTwo(all, c.name())[0];
      }
      boolean done = cur != null && cur.state() == ContainerStatus.State.EXITED;
      if (done && cur.exitCode() != 0) {
        if (shape.restartPolicy().equals("Never")) {
          initFailed = true;
        } else if (mayStartNext) {
          Duration wait = restartWait(rec, cur, now);
          if (wait.isZero()) {
            starter.start(c, cur.attempt() + 1, true);
            all = runtime.listContainers(rec.sandboxId);
            attempts = latestTwo(all, c.name());
            cur = attempts[0];
          } else {
            recheck = min(recheck, wait);
          }
        }
      }
      boolean succeeded =
          cur != null && cur.state() == ContainerStatus.State.EXITED && cur.exitCode() == 0;
      if (!succeeded) {
        uninitialized.add(c.name());
        mayStartNext = false;
      }
      if (done && full) {
        features.probes.remove(cur.id());
      }
      initStatuses.add(reports.report(rec, c, cur, attempts[1], false, false, pod));
    }

    // App containers, once every init container succeeded.
    boolean initialized = uninitialized.isEmpty();
    List<PodStatusPatch.Container> appStatuses = new ArrayList<>();
    List<String> unready = new ArrayList<>();
    int running = 0;
    int restarting = 0;
    int failed = 0;
    int finished = 0;
    Duration delay = readinessDelay.apply(pod);
    for (ContainerShape c : shape.containers()) {
      ContainerStatus[] attempts = latestTwo(all, c.name());
      ContainerStatus cur = attempts[0];
      ContainerStatus prev = attempts[1];
      boolean waitingBackoff = false;
      if (initialized && !rec.sandboxStopped) {
        if (full
            && cur != null
            && cur.state() == ContainerStatus.State.RUNNING
            && features.probes.livenessFailed(cur.id())) {
          // kubelet kills a container whose liveness probe failed (preStop, grace), then the
          // restartPolicy decides.
          features.stop(pod, rec, cur, runtime, Duration.ofSeconds(pod.graceSeconds()));
          all = runtime.listContainers(rec.sandboxId);
          attempts = latestTwo(all, c.name());
          cur = attempts[0];
          prev = attempts[1];
        }
        if (cur == null) {
          starter.start(c, 0, false);
          all = runtime.listContainers(rec.sandboxId);
          attempts = latestTwo(all, c.name());
          cur = attempts[0];
          prev = attempts[1];
        } else if (cur.state() == ContainerStatus.State.EXITED
            && restarts(shape.restartPolicy(), cur.exitCode())) {
          Duration wait = restartWait(rec, cur, now);
          if (wait.isZero()) {
            starter.start(c, cur.attempt() + 1, false);
            all = runtime.listContainers(rec.sandboxId);
            attempts = latestTwo(all, c.name());
            cur = attempts[0];
            prev = attempts[1];
          } else {
            waitingBackoff = true;
            recheck = min(recheck, wait);
          }
        }
      }
      boolean ready = false;
      if (cur != null && cur.state() == ContainerStatus.State.RUNNING) {
        running++;
        // A fresh reading: the container may have started during this very sync.
        Instant at = clock.instant();
        Instant readyAt = cur.startedAt().plus(delay);
        ready = !at.isBefore(readyAt) && (!full || features.probes.ready(cur.id()));
        if (!ready) {
          recheck = min(recheck, Duration.between(at, readyAt));
        }
      } else if (cur != null && cur.state() == ContainerStatus.State.EXITED) {
        if (full) {
          features.probes.remove(cur.id());
        }
        if (waitingBackoff) {
          restarting++;
        } else {
          finished++;
          if (cur.exitCode() != 0) {
            failed++;
          }
        }
      } else if (!initialized) {
        restarting++;
      }
      if (!ready) {
        unready.add(c.name());
      }
      PodStatusPatch.Container report =
          waitingBackoff
              ? reports.backoffReport(backoff(rec, cur), c, cur, pod)
              : reports.report(rec, c, cur, prev, ready, initialized, pod);
      appStatuses.add(report);
    }

    if (starter.retryAfter() != null) {
      recheck = min(recheck, starter.retryAfter());
    }
    String phase;
    if (initFailed) {
      phase = "Failed";
    } else if (!initialized) {
      phase = "Pending";
    } else if (running > 0 || restarting > 0) {
      phase = "Running";
    } else if (finished == shape.containers().size() && finished > 0) {
      phase = failed > 0 ? "Failed" : "Succeeded";
    } else {
      phase = "Pending";
    }
    boolean readyNow = unready.isEmpty() && !phase.equals("Succeeded") && !phase.equals("Failed");
    if (readyNow != rec.ready) {
      rec.ready = readyNow;
      rec.readyTransition = now;
    }
    PodStatusPatch status =
        new PodStatusPatch(
            phase,
            hostIp,
            rec.podIp,
            rec.startTime,
            !pod.scheduledConditionTrue(),
            !rec.sandboxStopped,
            uninitialized,
            unready,
            rec.readyTransition,
            initStatuses,
            appStatuses);
    return new Result(status, recheck);
  }

  /** Stops every container of the pod (deletion or a terminal phase) and its sandbox. */
  void stop(PodRecord rec, Runtime runtime) {
    stop(null, rec, runtime);
  }

  /**
   * As {@link #stop(PodRecord, Runtime)}, but with the pod's whole spec (when kept) its running
   * containers first get their preStop hooks and the grace period, all at once.
   */
  void stop(PodView pod, PodRecord rec, Runtime runtime) {
    if (rec.sandboxId != null
        && !rec.sandboxStopped
        && features != null
        && pod != null
        && pod.pod() != null) {
      features.stopAll(pod, rec, runtime.listContainers(rec.sandboxId), runtime);
    }
    if (rec.sandboxId != null && !rec.sandboxStopped) {
      runtime.stopPodSandbox(rec.sandboxId);
      rec.sandboxStopped = true;
    }
  }

  private static boolean restarts(String policy, int exitCode) {
    return switch (policy) {
      case "Never" -> false;
      case "OnFailure" -> exitCode != 0;
      default -> true;
    };
  }

  /**
   * Time left of the back-off before the next attempt: initial × 2^n, capped, where n counts the
   * exits in a row; a container that ran {@code backoffReset} or longer starts again at n = 0.
   */
  private Duration restartWait(PodRecord rec, ContainerStatus exited, Instant now) {
    Instant at = exited.finishedAt().plus(backoff(rec, exited));
    return now.isBefore(at) ? Duration.between(now, at) : Duration.ZERO;
  }

  Duration backoff(PodRecord rec, ContainerStatus exited) {
    int[] b = rec.backoff.get(exited.name());
    if (b == null || b[0] != exited.attempt()) {
      boolean ranLong =
          exited.startedAt() != null
              && Duration.between(exited.startedAt(), exited.finishedAt()).compareTo(backoffReset)
                  >= 0;
      int exp = b == null || ranLong ? 0 : b[1] + 1;
      b = new int[] {exited.attempt(), exp};
      rec.backoff.put(exited.name(), b);
    }
    Duration backoff = initialBackoff.multipliedBy(1L << Math.min(b[1], 20));
    return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
  }

  /** The newest and the one before it of the container called {@code name}. */
  private static ContainerStatus[] latestTwo(List<ContainerStatus> all, String name) {
    ContainerStatus[] out = new ContainerStatus[2];
    for (ContainerStatus s : all) {
      if (!s.name().equals(name)) {
        continue;
      }
      if (out[0] == null || s.attempt() > out[0].attempt()) {
        out[1] = out[0];
        out[0] = s;
      } else if (out[1] == null || s.attempt() > out[1].attempt()) {
        out[1] = s;
      }
    }
    return out;
  }

  private static Duration min(Duration a, Duration b) {
    return a == null || b.compareTo(a) < 0 ? b : a;
  }

  private PodSandboxConfig sandboxConfig(PodView pod) {
    return new PodSandboxConfig(
        pod.name(),
        pod.namespace(),
        pod.uid(),
        0,
        pod.name(),
        Map.of(),
        pod.shape().annotations(),
        features == null ? "" : features.logDirectory(pod).toString());
  }
}
