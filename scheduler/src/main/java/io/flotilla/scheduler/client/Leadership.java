package io.flotilla.scheduler.client;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this scheduler may schedule: always, or while it holds a Lease through fabric8's
 * LeaderElector with kube-scheduler's timings (15 s lease, 10 s renew deadline, 2 s retry). When
 * the Lease is lost, scheduling pauses and this process stands for election again (upstream exits
 * and is restarted; in-process that is not an option). The Lease is released on close.
 *
 * <p>Threading: the elector runs on its own threads and flips a monitor-guarded flag; {@link
 * #awaitLeading} blocks the scheduling thread until the flag is set.
 */
abstract class Leadership implements AutoCloseable {
  static final Duration LEASE_DURATION = Duration.ofSeconds(15);
  static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
  static final Duration RETRY_PERIOD = Duration.ofSeconds(2);
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  private boolean leading;

  static Leadership always() {
    Leadership l =
        new Leadership() {
          @Override
          void start() {}

          @Override
          public void close() {}
        };
    l.setLeading(true);
    return l;
  }

  static Leadership elect(KubernetesClient client, String namespace, String name, String identity) {
    return new Elected(client, namespace, name, identity);
  }

  abstract void start();

  @Override
  public abstract void close();

  synchronized boolean isLeader() {
    return leading;
  }

  synchronized void setLeading(boolean on) {
    leading = on;
    notifyAll();
  }

  synchronized void awaitLeading() throws InterruptedException {
    while (!leading) {
      wait();
    }
  }

  private static final class Elected extends Leadership {
    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String identity;
    private CompletableFuture<?> running;
    private boolean closed;

    Elected(KubernetesClient client, String namespace, String name, String identity) {
      this.client = client;
      this.namespace = namespace;
      this.name = name;
      this.identity = identity;
    }

    @Override
    synchronized void start() {
      if (closed) {
        return;
      }
      var config =
          new LeaderElectionConfigBuilder()
              .withName(name)
              .withLock(new LeaseLock(namespace, name, identity))
              .withLeaseDuration(LEASE_DURATION)
              .withRenewDeadline(RENEW_DEADLINE)
              .withRetryPeriod(RETRY_PERIOD)
              .withReleaseOnCancel(true)
              .withLeaderCallbacks(
                  new LeaderCallbacks(
                      () -> {
                        LOG.info("{} leads: scheduling", identity);
                        setLeading(true);
                      },
                      () -> {
                        LOG.info("{} no longer leads: scheduling paused", identity);
                        setLeading(false);
                      },
                      leader -> LOG.info("scheduler leader is {}", leader)))
              .build();
      running = client.leaderElector().withConfig(config).build().start();
      // Lost (or failed): stand again unless closing.
      running.whenComplete(
          (v, e) -> {
            setLeading(false);
            CompletableFuture.runAsync(
                this::restart,
                CompletableFuture.delayedExecutor(
                    RETRY_PERIOD.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
          });
    }

    private void restart() {
      start(); // a no-op once closed
    }

    @Override
    public synchronized void close() {
      closed = true;
      if (running != null) {
        running.cancel(true);
      }
      setLeading(false);
    }
  }
}
