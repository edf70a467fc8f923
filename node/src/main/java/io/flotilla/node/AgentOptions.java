package io.flotilla.node;

import io.fabric8.kubernetes.api.model.Node;
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
    Predicate<Node> heartbeatPaused) {

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
