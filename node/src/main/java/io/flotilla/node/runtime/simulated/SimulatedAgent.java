package io.flotilla.node.runtime.simulated;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.node.AgentOptions;
import io.flotilla.node.NodeAgent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Many simulated nodes in this process: one {@link NodeAgent} over one {@link SimulatedRuntime} per
 * node. The entry point for {@code flotilla agent --runtime simulated}, and for tests and
 * benchmarks that want nodes without containers:
 *
 * <pre>{@code
 * try (SimulatedAgent agent = SimulatedAgent.start(client, SimulatedNodeOptions.defaults().withNodes(100))) {
 *   // 100 Ready nodes; pods bound to them go Running
 * }
 * }</pre>
 *
 * <p>Threading: {@link #start} blocks until every node is registered; afterwards the agent works on
 * its own threads until {@link #close}, which stops them (idempotent). The client stays the
 * caller's.
 */
public final class SimulatedAgent implements AutoCloseable {
  private final NodeAgent agent;
  private final ScheduledThreadPoolExecutor runtimeTimers;
  private final Map<String, SimulatedRuntime> runtimes;
  private boolean closed;

  private SimulatedAgent(
      NodeAgent agent,
      ScheduledThreadPoolExecutor runtimeTimers,
      Map<String, SimulatedRuntime> runtimes) {
    this.agent = agent;
    this.runtimeTimers = runtimeTimers;
    this.runtimes = runtimes;
  }

  /**
   * Registers {@code opts.nodes()} nodes and starts serving them.
   *
   * @throws IllegalArgumentException when the options do not hold together
   */
  public static SimulatedAgent start(KubernetesClient client, SimulatedNodeOptions opts) {
    opts.validate();
    ScheduledThreadPoolExecutor timers =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().daemon().name("flotilla-sim-runtime-timer").factory());
    timers.setRemoveOnCancelPolicy(true);
    SimulatedHost host = new SimulatedHost(opts.clock(), timers);
    Map<String, SimulatedRuntime> runtimes = new ConcurrentHashMap<>();
    List<Node> templates = SimulatedNodes.templates(opts, opts.clock().instant());
    AgentOptions agentOpts =
        new AgentOptions(
            opts.clock(),
            Duration.ofSeconds(40),
            opts.leaseRenewInterval(),
            opts.statusReportInterval(),
            opts.initialRestartBackoff(),
            opts.maxRestartBackoff(),
            opts.podWorkers(),
            opts.nodeWorkers(),
            pod -> {
              Duration d =
                  SimulatedAnnotations.duration(
                      pod.shape().annotations(), SimulatedAnnotations.READY_AFTER);
              return d == null ? Duration.ZERO : d;
            },
            key -> key.startsWith("simulated.flotilla.io/"),
            node -> SimulatedAnnotations.heartbeatStopped(node.getMetadata().getAnnotations()));
    try {
      NodeAgent agent =
          NodeAgent.start(
              client,
              templates,
              name -> runtimes.computeIfAbsent(name, n -> new SimulatedRuntime(host)),
              agentOpts);
      return new SimulatedAgent(agent, timers, runtimes);
    } catch (RuntimeException e) {
      timers.shutdownNow();
      throw e;
    }
  }

  /** The registered Nodes. */
  public List<Node> nodes() {
    return agent.nodes();
  }

  /** Pods bound to these nodes that the agent knows of. */
  public int podCount() {
    return agent.podCount();
  }

  /** Pod status writes so far. */
  public long podStatusWrites() {
    return agent.podStatusWrites();
  }

  /** Lease renewals of {@code node} so far. */
  public long leaseRenewals(String node) {
    return agent.leaseRenewals(node);
  }

  /** Sandboxes (running or stopped, not yet removed) on {@code node}. */
  public int sandboxes(String node) {
    SimulatedRuntime r = runtimes.get(node);
    return r == null ? 0 : r.sandboxCount();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    agent.close();
    runtimes.values().forEach(SimulatedRuntime::close);
    runtimeTimers.shutdownNow();
    try {
      runtimeTimers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
