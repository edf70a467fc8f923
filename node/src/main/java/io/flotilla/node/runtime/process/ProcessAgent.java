package io.flotilla.node.runtime.process;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.node.AgentOptions;
import io.flotilla.node.LocatedPod;
import io.flotilla.node.NodeAgent;
import io.flotilla.node.server.KubeletServer;
import io.flotilla.node.server.StatsRoute;
import io.flotilla.node.stats.NodePressure;
import io.flotilla.node.stats.ProcHost;
import io.flotilla.node.stats.SummaryProvider;
import io.flotilla.node.storage.LocalPathSweep;
import java.nio.file.Path;
import java.util.List;

/**
 * This machine as one node whose pods run as host processes: one {@link NodeAgent} over one {@link
 * ProcessRuntime}, and optionally the kubelet API server (logs, exec, attach, port-forward) whose
 * port the Node reports in {@code status.daemonEndpoints.kubeletEndpoint}. The entry point for
 * {@code flotilla agent --runtime process} and for tests:
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
  private final KubeletServer server;
  private final LocalPathSweep sweep;
  private final SummaryProvider summary;
  private boolean closed;

  private ProcessAgent(
      NodeAgent agent,
      ProcessRuntime runtime,
      KubeletServer server,
      LocalPathSweep sweep,
      SummaryProvider summary) {
    this.agent = agent;
    this.runtime = runtime;
    this.server = server;
    this.sweep = sweep;
    this.summary = summary;
  }

  /**
   * Registers {@code nodeName} and serves its pods, without a kubelet API server; {@code opts}
   * without a data dir get {@code dataDir}.
   */
  public static ProcessAgent start(
      KubernetesClient client, String nodeName, String nodeIp, Path dataDir, AgentOptions opts) {
    return start(client, nodeName, nodeIp, dataDir, opts, null);
  }

  /**
   * As {@link #start(KubernetesClient, String, String, Path, AgentOptions)}, also serving the
   * kubelet API with {@code kubelet} (null: none) before the Node is registered, so the Node names
   * its port.
   */
  public static ProcessAgent start(
      KubernetesClient client,
      String nodeName,
      String nodeIp,
      Path dataDir,
      AgentOptions opts,
      KubeletServer.Options kubelet) {
    AgentOptions o = opts.dataDir() == null ? opts.withDataDir(dataDir) : opts;
    ProcessRuntime rt = new ProcessRuntime(dataDir.resolve("runtime"), o.clock(), nodeIp);
    SummaryProvider summary =
        new SummaryProvider(nodeName, o.clock(), ProcHost.of(dataDir), rt)
            .start(SummaryProvider.DEFAULT_PERIOD);
    KubeletServer server = null;
    NodeAgent[] started = new NodeAgent[1];
    try {
      int port = 10250;
      if (kubelet != null) {
        server =
            KubeletServer.start(
                kubelet,
                (ns, name) -> {
                  NodeAgent a = started[0];
                  LocatedPod p = a == null ? null : a.locate(ns, name);
                  return p;
                },
                o.clock());
        port = server.port();
        server.route("stats", new StatsRoute(summary::summaryJson));
      }
      NodeAgent agent =
          NodeAgent.start(
              client,
              List.of(
                  HostNode.template(
                      nodeName,
                      nodeIp,
                      DEFAULT_POD_CIDR,
                      dataDir,
                      110,
                      o.clock().instant(),
                      ProcessRuntime.VERSION.nodeInfoForm(),
                      port)),
              name -> rt,
              o,
              name -> summary.pressure(NodePressure.Thresholds.KUBELET_DEFAULTS));
      started[0] = agent;
      return new ProcessAgent(
          agent,
          rt,
          server,
          LocalPathSweep.start(client, LocalPathSweep.storageDir(dataDir)),
          summary);
    } catch (RuntimeException e) {
      summary.close();
      if (server != null) {
        server.close();
      }
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

  /** The kubelet API server, or null when the agent serves none. */
  public KubeletServer kubeletServer() {
    return server;
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
    sweep.close();
    if (server != null) {
      server.close();
    }
    summary.close();
    agent.close();
    runtime.close();
  }
}
