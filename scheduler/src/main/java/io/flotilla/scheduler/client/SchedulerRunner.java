package io.flotilla.scheduler.client;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.scheduler.Scheduler;
import io.flotilla.scheduler.SchedulerConfig;
import io.flotilla.scheduler.plugins.volumebinding.VolumeBinding;
import io.flotilla.scheduler.profile.DefaultProfile;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler as a client of the Kubernetes API, as kube-scheduler runs: informers feed the
 * {@link Scheduler}'s cache and queue; once they have listed, one thread runs scheduling cycles
 * while this process leads (a Lease, unless leader election is off), another calls {@link
 * Scheduler#tick()} every second, and bindings, Events and status patches go out on virtual
 * threads.
 *
 * <p>Threading: {@link #start} blocks until the informers have synced and returns a running
 * scheduler; {@link #close()} may be called from any thread, once or more, and returns after the
 * scheduling thread has stopped. It does not close the client.
 */
public final class SchedulerRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerRunner.class);
  static final Duration TICK = Duration.ofSeconds(1);

  /**
   * How to run.
   *
   * @param identity this process in the Lease and in Events' reportingInstance
   * @param leaderElect whether to take the Lease {@code kube-system/<leaseName>} before scheduling
   * @param parallelism threads filtering and scoring nodes
   */
  public record Options(
      String schedulerName,
      boolean leaderElect,
      String leaseNamespace,
      String leaseName,
      String identity,
      int parallelism,
      Duration syncTimeout) {
    public static Options defaults(String identity) {
      return new Options(
          DefaultProfile.SCHEDULER_NAME,
          true,
          "kube-system",
          "kube-scheduler",
          identity,
          Math.max(1, Runtime.getRuntime().availableProcessors()),
          Duration.ofMinutes(2));
    }

    public Options withLeaderElect(boolean on) {
      return new Options(
          schedulerName, on, leaseNamespace, leaseName, identity, parallelism, syncTimeout);
    }
  }

  private final Scheduler scheduler;
  private final EventWriter events;
  private final ApiSchedulerEvents outcomes;
  private final ExecutorService binds;
  private final ScheduledExecutorService ticker;
  private final Leadership leadership;
  private final ApiVolumes volumes;
  private SchedulerInformers informers;
  private Thread loop;
  private volatile boolean closed;

  private SchedulerRunner(KubernetesClient client, Options o, Clock clock) {
    this.events = new EventWriter(client, clock, o.schedulerName(), o.identity());
    this.outcomes = new ApiSchedulerEvents(client, clock, events);
    this.binds = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("bind-", 0).factory());
    Random random = new Random();
    this.volumes = new ApiVolumes(client, clock);
    SchedulerConfig config =
        SchedulerConfig.defaults()
            .withSchedulerName(o.schedulerName())
            .withParallelism(o.parallelism());
    this.scheduler =
        new Scheduler(
            config,
            clock,
            random,
            DefaultProfile.plugins(
                DefaultProfile.Options.of(
                        new ApiBinder(client), new ApiEvictor(client, clock, events), random)
                    .withVolumes(volumes, VolumeBinding.DEFAULT_BIND_TIMEOUT)),
            binds,
            outcomes);
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("scheduler-tick").daemon().factory());
    this.leadership =
        o.leaderElect()
            ? Leadership.elect(client, o.leaseNamespace(), o.leaseName(), o.identity())
            : Leadership.always();
  }

  /**
   * Starts informers, waits until they have listed, then starts scheduling (after taking the Lease
   * when leader election is on; this method does not wait for that).
   *
   * @throws TimeoutException when the informers have not listed within the sync timeout
   */
  public static SchedulerRunner start(KubernetesClient client, Options o, Clock clock)
      throws InterruptedException, TimeoutException {
    SchedulerRunner r = new SchedulerRunner(client, o, clock);
    try {
      r.informers = SchedulerInformers.start(client, r.scheduler.handlers(), o.syncTimeout());
      r.volumes.start(r.scheduler.handlers(), o.syncTimeout());
    } catch (InterruptedException | TimeoutException | RuntimeException e) {
      r.close();
      throw e;
    }
    r.ticker.scheduleWithFixedDelay(
        r::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    r.loop = Thread.ofPlatform().name("scheduler-loop").start(r::run);
    r.leadership.start();
    return r;
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  /** Whether this process holds the Lease (always true without leader election). */
  public boolean isLeader() {
    return leadership.isLeader();
  }

  private void tick() {
    try {
      scheduler.tick();
    } catch (RuntimeException e) {
      LOG.warn("scheduler housekeeping failed", e);
    }
  }

  private void run() {
    try {
      while (!closed) {
        leadership.awaitLeading();
        if (closed || !scheduler.scheduleOne()) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("the scheduling loop stopped", e);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    leadership.close();
    scheduler.close(); // ends a pop in progress
    if (loop != null) {
      loop.interrupt(); // ends a wait for leadership
      try {
        loop.join(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    ticker.shutdownNow();
    volumes.close();
    if (informers != null) {
      informers.close();
    }
    binds.shutdownNow();
    outcomes.close();
    events.close();
  }
}
