package io.flotilla.node;

import io.fabric8.kubernetes.api.model.Node;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * How a {@link NodeAgent} paces itself. Defaults follow kubelet: a 40 s Lease renewed every 10 s,
 * node status reported on change and at least every 5 min (nodeStatusReportFrequency), restarts
 * backed off from 10 s doubling to 5 min.
 *
 * @param podWorkers how many pods are synced (and their status written) at once
 * @param nodeWorkers how many node writes (registration, Lease, status) run at once
 * @param readinessDelay how long after a container starts it turns ready
 * @param keepAnnotation which pod annotations reach the runtime's sandbox config
 * @param heartbeatPaused nodes whose Lease and status the agent leaves alone for now
 * @param dataDir where pod volumes live ({@code DATA/pods/<uid>/volumes}); null for an agent that
 *     runs nothing real (simulated): it then keeps only each pod's shape, not its spec, and gives
 *     the runtime names and images only
 * @param volumeResyncInterval how often a running pod's configMap, secret, downwardAPI and
 *     projected volumes are rewritten from the API (kubelet's sync period, 1 min)
 * @param backoffResetAfter a container that ran this long before exiting restarts with the initial
 *     back-off again (10 min)
 */
public record AgentOptions(
    Clock clock,
    Duration leaseDuration,
    Duration leaseRenewInterval,
    Duration statusReportInterval,
    Duration initialRestartBackoff,
    Duration maxRestartBackoff,
    int podWorkers,
    int nodeWorkers,
    Function<PodView, Duration> readinessDelay,
    Predicate<String> keepAnnotation,
    Predicate<Node> heartbeatPaused,
    Path dataDir,
    Duration volumeResyncInterval,
    Duration backoffResetAfter) {

  /** Options without a data dir (the form the simulated agent uses). */
  public AgentOptions(
      Clock clock,
      Duration leaseDuration,
      Duration leaseRenewInterval,
      Duration statusReportInterval,
      Duration initialRestartBackoff,
      Duration maxRestartBackoff,
      int podWorkers,
      int nodeWorkers,
      Function<PodView, Duration> readinessDelay,
      Predicate<String> keepAnnotation,
      Predicate<Node> heartbeatPaused) {
    this(
        clock,
        leaseDuration,
        leaseRenewInterval,
        statusReportInterval,
        initialRestartBackoff,
        maxRestartBackoff,
        podWorkers,
        nodeWorkers,
        readinessDelay,
        keepAnnotation,
        heartbeatPaused,
        null,
        Duration.ofMinutes(1),
        Duration.ofMinutes(10));
  }

  /** Whether the agent keeps whole pod specs and runs containers with all their features. */
  public boolean fullPods() {
    return dataDir != null;
  }

  public AgentOptions withDataDir(Path dir) {
    return new AgentOptions(
        clock,
        leaseDuration,
        leaseRenewInterval,
        statusReportInterval,
        initialRestartBackoff,
        maxRestartBackoff,
        podWorkers,
        nodeWorkers,
        readinessDelay,
        keepAnnotation,
        heartbeatPaused,
        dir,
        volumeResyncInterval,
        backoffResetAfter);
  }

  public AgentOptions withClock(Clock c) {
    return new AgentOptions(
        c,
        leaseDuration,
        leaseRenewInterval,
        statusReportInterval,
        initialRestartBackoff,
        maxRestartBackoff,
        podWorkers,
        nodeWorkers,
        readinessDelay,
        keepAnnotation,
        heartbeatPaused,
        dataDir,
        volumeResyncInterval,
        backoffResetAfter);
  }

  /** Restart back-off: {@code initial} doubling to {@code max}, reset after {@code reset}. */
  public AgentOptions withRestartBackoff(Duration initial, Duration max, Duration reset) {
    return new AgentOptions(
        clock,
        leaseDuration,
        leaseRenewInterval,
        statusReportInterval,
        initial,
        max,
        podWorkers,
        nodeWorkers,
        readinessDelay,
        keepAnnotation,
        heartbeatPaused,
        dataDir,
        volumeResyncInterval,
        reset);
  }

  public AgentOptions withIntervals(Duration leaseRenew, Duration statusReport, Duration volumes) {
    return new AgentOptions(
        clock,
        leaseDuration,
        leaseRenew,
        statusReport,
        initialRestartBackoff,
        maxRestartBackoff,
        podWorkers,
        nodeWorkers,
        readinessDelay,
        keepAnnotation,
        heartbeatPaused,
        dataDir,
        volumes,
        backoffResetAfter);
  }

  /** The namespace kubelet keeps node Leases in. */
  public static final String LEASE_NAMESPACE = "kube-node-lease";

  public static AgentOptions defaults() {
    return new AgentOptions(
        Clock.systemUTC(),
        Duration.ofSeconds(40),
        Duration.ofSeconds(10),
        Duration.ofMinutes(5),
        Duration.ofSeconds(10),
        Duration.ofMinutes(5),
        8,
        4,
        p -> Duration.ZERO,
        k -> true,
        n -> false);
  }
}
