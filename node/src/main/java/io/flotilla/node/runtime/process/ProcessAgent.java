package io.flotilla.node.runtime.process;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.node.AgentOptions;
import io.flotilla.node.NodeAgent;
import io.flotilla.node.stats.NodePressure;
import io.flotilla.node.stats.ProcHost;
import io.flotilla.node.stats.SummaryProvider;
import java.nio.file.Path;
import java.util.List;

/**
 * This machine as one node whose pods run as host processes: one {@link NodeAgent} over one {@link
 * ProcessRuntime}. The entry point for {@code flotilla agent --runtime process} and for tests:
 *
 * <pre>{@code
 * try (ProcessAgent agent = ProcessAgent.start(client, "node-a", "127.0.0.1", dataDir,
 *     AgentOptions.defaults())) { ... }
 * }</pre>
 *
 * <p>Threading: {@link #start} blocks until the node is registered; {@link #close} stops the agent
 * and kills the containers still running (idempotent). The client stays the caller's.
 */
public final class ProcessAgent implements AutoCloseable {
  /** The pod CIDR the node claims when the control plane has not given one (nothing uses it). */
  public static final String DEFAULT_POD_CIDR = "10.244.0.0/24";

  private final NodeAgent agent;
  private final ProcessRuntime runtime;
  private final SummaryProvider summary;
  private boolean closed;

  private ProcessAgent(NodeAgent agent, ProcessRuntime runtime, SummaryProvider summary) {
    this.agent = agent;
    this.runtime = runtime;
    this.summary = summary;
  }

  /**
   * Registers {@code nodeName} and serves its pods; {@code opts} without a data dir get {@code
   * dataDir}.
   */
  public static ProcessAgent start(
      KubernetesClient client, String nodeName, String nodeIp, Path dataDir, AgentOptions opts) {
    AgentOptions o = opts.dataDir() == null ? opts.withDataDir(dataDir) : opts;
    ProcessRuntime rt = new ProcessRuntime(dataDir.resolve("runtime"), o.clock(), nodeIp);
    SummaryProvider summary =
        new SummaryProvider(nodeName, o.clock(), ProcHost.of(dataDir), rt)
            .start(SummaryProvider.DEFAULT_PERIOD);
    try {
      NodeAgent agent =
          NodeAgent.start(
              client,
              List.of(
                  HostNode.template(
                      nodeName, nodeIp, DEFAULT_POD_CIDR, dataDir, 110, o.clock().instant())),
              name -> rt,
              o,
              name -> summary.pressure(NodePressure.Thresholds.KUBELET_DEFAULTS));
      return new ProcessAgent(agent, rt, summary);
    } catch (RuntimeException e) {
      summary.close();
      rt.close();
      throw e;
    }
  }

  /** The options the process agent uses unless told otherwise (kubelet's). */
  public static AgentOptions defaultOptions() {
    return AgentOptions.defaults();
  }

  public NodeAgent agent() {
    return agent;
  }

  public ProcessRuntime runtime() {
    return runtime;
  }

  /** The node's Summary API ({@code /stats/summary}), sampled every 10 s. */
  public SummaryProvider summary() {
    return summary;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    summary.close();
    agent.close();
    runtime.close();
  }
}
