package io.flotilla.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.node.runtime.Runtime;
import io.flotilla.node.stats.NodePressure;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A node agent for one or many nodes, each with its own {@link Runtime}: registers the Nodes, keeps
 * their Leases and conditions fresh ({@link NodeHeartbeats}) and runs the pods bound to them
 * ({@link PodWorkers}). The real agent runs it for one node; the simulated one for thousands.
 *
 * <p>Threading: {@link #start} blocks until every node is registered and its Lease exists, then
 * returns with the agent's threads running (one timer thread, {@link AgentOptions#nodeWorkers()}
 * node writers, {@link AgentOptions#podWorkers()} pod workers, the informers' own). {@link #close}
 * stops them all; it is idempotent.
 */
public final class NodeAgent implements AutoCloseable {
  private final ScheduledThreadPoolExecutor timers;
  private final ExecutorService nodeWriters;
  private final NodeHeartbeats heartbeats;
  private final PodWorkers pods;
  private final List<Node> registered;
  private boolean closed;

  private NodeAgent(
      ScheduledThreadPoolExecutor timers,
      ExecutorService nodeWriters,
      NodeHeartbeats heartbeats,
      PodWorkers pods,
      List<Node> registered) {
    this.timers = timers;
    this.nodeWriters = nodeWriters;
    this.heartbeats = heartbeats;
    this.pods = pods;
    this.registered = registered;
  }

  /**
   * Registers {@code templates} (Nodes with spec.podCIDR and status filled in) and starts serving
   * them; {@code runtimes} gives each node's runtime by node name.
   */
  public static NodeAgent start(
      KubernetesClient client,
      List<Node> templates,
      Function<String, Runtime> runtimes,
      AgentOptions opts) {
    return start(client, templates, runtimes, opts, name -> NodeConditions.NO_PRESSURE);
  }

  /**
   * As {@link #start(KubernetesClient, List, Function, AgentOptions)}, with each node's
   * MemoryPressure, DiskPressure and PIDPressure from {@code pressure} (by node name; called on
   * every Lease tick from a node writer thread, so it must not block: a {@link
   * io.flotilla.node.stats.SummaryProvider}'s latest sample, say).
   */
  public static NodeAgent start(
      KubernetesClient client,
      List<Node> templates,
      Function<String, Runtime> runtimes,
      AgentOptions opts,
      Function<String, List<NodePressure.Condition>> pressure) {
    ScheduledThreadPoolExecutor timers =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().daemon().name("flotilla-agent-timer").factory());
    timers.setRemoveOnCancelPolicy(true);
    ExecutorService nodeWriters =
        Executors.newFixedThreadPool(
            opts.nodeWorkers(),
            Thread.ofPlatform().daemon().name("flotilla-node-writer-", 0).factory());
    NodeHeartbeats heartbeats = null;
    PodWorkers pods = null;
    try {
      List<Node> registered = NodeRegistration.registerAll(client, templates, nodeWriters);
      Map<String, PodWorkers.NodeHandle> handles = new HashMap<>();
      String runtimeName = null;
      for (Node n : registered) {
        String name = n.getMetadata().getName();
        String cidr = n.getSpec() == null ? null : n.getSpec().getPodCIDR();
        if (cidr == null || cidr.isEmpty()) {
          throw new IllegalStateException(
              "node " + name + " has no spec.podCIDR; give the template one");
        }
        Runtime rt = runtimes.apply(name);
        rt.updatePodCidr(cidr);
        runtimeName = rt.version().runtimeName();
        handles.put(
            name,
            new PodWorkers.NodeHandle(
                name,
                rt,
                internalIp(n),
                n.getStatus() == null || n.getStatus().getAllocatable() == null
                    ? Map.of()
                    : Map.copyOf(n.getStatus().getAllocatable())));
      }
      heartbeats = new NodeHeartbeats(client, registered, opts, timers, nodeWriters, pressure);
      heartbeats.start();
      pods = new PodWorkers(client, Map.copyOf(handles), opts, timers, runtimeName);
      pods.start();
      return new NodeAgent(timers, nodeWriters, heartbeats, pods, List.copyOf(registered));
    } catch (RuntimeException e) {
      if (pods != null) {
        pods.close();
      }
      if (heartbeats != null) {
        heartbeats.close();
      }
      timers.shutdownNow();
      nodeWriters.shutdownNow();
      throw e;
    }
  }

  /** The Nodes as registered (with their uid and pod CIDR). */
  public List<Node> nodes() {
    return registered;
  }

  /** Pods bound to this agent's nodes that it currently knows of. */
  public int podCount() {
    return pods.podCount();
  }

  /**
   * The pod {@code namespace/name} when it is bound to one of this agent's nodes, else null; for
   * the kubelet API server (logs, exec, attach, port-forward). Callable from any thread.
   */
  public LocatedPod locate(String namespace, String name) {
    return pods.locate(namespace, name);
  }

  /** Status writes made so far. */
  public long podStatusWrites() {
    return pods.statusWrites();
  }

  /** Lease renewals of one node so far (0 for a node not served here). */
  public long leaseRenewals(String node) {
    NodeHeartbeats.Beat b = heartbeats.beat(node);
    return b == null ? 0 : b.renewals;
  }

  private static String internalIp(Node n) {
    if (n.getStatus() != null && n.getStatus().getAddresses() != null) {
      for (NodeAddress a : n.getStatus().getAddresses()) {
        if ("InternalIP".equals(a.getType())) {
          return a.getAddress();
        }
      }
    }
    return "127.0.0.1";
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    heartbeats.close();
    pods.close();
    timers.shutdownNow();
    nodeWriters.shutdownNow();
    try {
      nodeWriters.awaitTermination(10, TimeUnit.SECONDS);
      timers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
