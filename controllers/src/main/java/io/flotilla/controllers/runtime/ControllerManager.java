package io.flotilla.controllers.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a set of controllers while this process holds the {@code kube-system/flotilla-controller-
 * manager} Lease (fabric8 {@code LeaderElector} with a {@code LeaseLock}), or at once when leader
 * election is off (tests, a single control plane). Each leadership term gets a fresh {@link
 * ControllerContext} (shared informers, event recorders) and fresh controllers; losing the Lease
 * stops them all, so two processes never reconcile at once.
 *
 * <p>Threading: {@link #start()} returns at once; leadership callbacks run on fabric8's elector
 * thread; start and stop of a term are serialized by this object's monitor.
 */
public final class ControllerManager implements AutoCloseable {
  public static final String LEASE_NAMESPACE = "kube-system";
  public static final String LEASE_NAME = "flotilla-controller-manager";
  private static final Logger LOG = LoggerFactory.getLogger(ControllerManager.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final ControllerMetrics metrics;
  private final boolean leaderElection;
  private final String identity;
  private final Duration leaseDuration;
  private final Map<String, Function<ControllerContext, Controller>> factories;
  private final Map<String, Controller> running = new LinkedHashMap<>();
  private ControllerContext ctx;
  private CompletableFuture<?> elector;
  private volatile boolean leading;
  private boolean closed;

  private ControllerManager(Builder b) {
    this.client = b.client;
    this.clock = b.clock;
    this.metrics = b.metrics != null ? b.metrics : new ControllerMetrics(new PrometheusRegistry());
    this.leaderElection = b.leaderElection;
    this.identity = b.identity;
    this.leaseDuration = b.leaseDuration;
    this.factories = new LinkedHashMap<>(b.factories);
  }

  public static Builder builder(KubernetesClient client) {
    return new Builder(client);
  }

  public ControllerMetrics metrics() {
    return metrics;
  }

  /** Whether this process runs the controllers now (always true without leader election). */
  public boolean isLeading() {
    return leading;
  }

  /** The running controller called {@code name}, while leading. */
  public synchronized Optional<Controller> controller(String name) {
    return Optional.ofNullable(running.get(name));
  }

  /** The context of the current term, while leading. */
  public synchronized Optional<ControllerContext> context() {
    return Optional.ofNullable(ctx);
  }

  /** Starts the controllers now, or campaigns for the Lease and starts them once it is held. */
  public synchronized void start() {
    if (!leaderElection) {
      startTerm();
      return;
    }
    var config =
        new LeaderElectionConfigBuilder()
            .withName(LEASE_NAME)
            .withLeaseDuration(leaseDuration)
            .withRenewDeadline(leaseDuration.multipliedBy(2).dividedBy(3))
            .withRetryPeriod(leaseDuration.dividedBy(7))
            .withLock(new LeaseLock(LEASE_NAMESPACE, LEASE_NAME, identity))
            .withReleaseOnCancel(true)
            .withLeaderCallbacks(
                new LeaderCallbacks(
                    this::startTerm,
                    this::stopTerm,
                    leader -> LOG.info("controller manager leader is {}", leader)))
            .build();
    elector = client.leaderElector().withConfig(config).build().start();
  }

  private synchronized void startTerm() {
    if (closed || ctx != null) {
      return;
    }
    LOG.info("controller manager {} starting {} controllers", identity, factories.size());
    SharedInformers informers = new SharedInformers(client);
    ctx =
        new ControllerContext(client, informers, clock, metrics, new EventRecorders(client, clock));
    for (var e : factories.entrySet()) {
      running.put(e.getKey(), e.getValue().apply(ctx));
    }
    informers.start();
    running.values().forEach(Controller::start);
    leading = true;
  }

  private synchronized void stopTerm() {
    leading = false;
    List<Controller> cs = new ArrayList<>(running.values());
    running.clear();
    for (int i = cs.size() - 1; i >= 0; i--) {
      cs.get(i).close();
    }
    if (ctx != null) {
      ctx.informers().close();
      ctx.events().close();
      ctx = null;
      LOG.info("controller manager {} stopped its controllers", identity);
    }
  }

  /** Stops the controllers and gives up the Lease. */
  @Override
  public void close() {
    CompletableFuture<?> e;
    synchronized (this) {
      closed = true;
      e = elector;
    }
    if (e != null) {
      e.cancel(true); // releases the Lease (releaseOnCancel) and calls stopTerm
    }
    stopTerm();
  }

  /** Configures a {@link ControllerManager}. */
  public static final class Builder {
    private final KubernetesClient client;
    private Clock clock;
    private ControllerMetrics metrics;
    private boolean leaderElection = true;
    private String identity = defaultIdentity();
    private Duration leaseDuration = Duration.ofSeconds(15);
    private final Map<String, Function<ControllerContext, Controller>> factories =
        new LinkedHashMap<>();

    private Builder(KubernetesClient client) {
      this.client = client;
    }

    private static String defaultIdentity() {
      String host = System.getenv().getOrDefault("HOSTNAME", "flotilla");
      return host + "_" + UUID.randomUUID();
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder metrics(ControllerMetrics metrics) {
      this.metrics = metrics;
      return this;
    }

    /** On by default; off runs the controllers at once without a Lease. */
    public Builder leaderElection(boolean on) {
      this.leaderElection = on;
      return this;
    }

    public Builder identity(String identity) {
      this.identity = identity;
      return this;
    }

    /** How long a Lease holds without renewal (15 s as kube-controller-manager's default). */
    public Builder leaseDuration(Duration d) {
      this.leaseDuration = d;
      return this;
    }

    /** Adds a controller, built from each term's context when the term starts. */
    public Builder add(String name, Function<ControllerContext, Controller> factory) {
      if (factories.putIfAbsent(name, factory) != null) {
        throw new IllegalArgumentException("controller " + name + " was added twice");
      }
      return this;
    }

    public ControllerManager build() {
      if (clock == null) {
        throw new IllegalStateException(
            "ControllerManager needs a clock (SystemClock or ManualClock)");
      }
      return new ControllerManager(this);
    }
  }
}
