package io.flotilla.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.flotilla.controllers.runtime.Controller;
import io.flotilla.controllers.runtime.ControllerContext;
import io.flotilla.controllers.runtime.EventRecorder;
import io.flotilla.controllers.runtime.Pods;
import io.flotilla.controllers.runtime.Reconciler;
import io.flotilla.controllers.runtime.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The node lifecycle controller (upstream's {@code node-lifecycle-controller} with taint-based
 * eviction): a node whose Lease in {@code kube-node-lease} has not been renewed for the grace
 * period (40 s) gets its conditions set to Unknown ("Kubelet stopped posting node status."); a node
 * that is not Ready gets {@code node.kubernetes.io/not-ready} (Ready False) or {@code unreachable}
 * (Ready Unknown) taints with effects NoSchedule and NoExecute, removed when it is Ready again. The
 * NoExecute half is {@link NoExecuteEvictions}. Renewals are timed by this controller's clock when
 * it sees them (as upstream's probe timestamps), so clock skew between nodes and control plane does
 * not matter.
 *
 * <p>Threading: see {@link Controller}; the probe table is guarded by its own monitor. Keys are
 * node names.
 */
public final class NodeLifecycleController implements Reconciler {
  public static final String NAME = "nodelifecycle";
  public static final String COMPONENT = "node-controller";
  public static final String LEASE_NAMESPACE = "kube-node-lease";
  static final String UNKNOWN_MESSAGE = "Kubelet stopped posting node status.";
  static final List<String> CONDITIONS =
      List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");

  /**
   * @param gracePeriod how long a Lease may go unrenewed (upstream {@code
   *     --node-monitor-grace-period}, 40 s)
   * @param evictionCap if set, no pod tolerates a NoExecute taint for longer than this (tests and
   *     demos; upstream has no such cap)
   */
  public record Options(Duration gracePeriod, Duration evictionCap) {
    public static Options defaults() {
      return new Options(Duration.ofSeconds(40), null);
    }
  }

  private record Probe(String renewTime, Instant seenAt) {}

  final ControllerContext ctx;
  final Options options;
  final SharedIndexInformer<Node> nodes;
  final SharedIndexInformer<Lease> leases;
  final SharedIndexInformer<Pod> pods;
  final EventRecorder events;
  final NoExecuteEvictions evictions;
  final boolean podsByNodeIndexed;
  private final Map<String, Probe> probes = new HashMap<>();

  private NodeLifecycleController(ControllerContext ctx, Options options) {
    this.ctx = ctx;
    this.options = options;
    this.nodes = ctx.informers().forType(Node.class);
    this.leases = ctx.informers().forType(Lease.class);
    this.pods = ctx.informers().forType(Pod.class);
    this.events = ctx.recorder(COMPONENT);
    this.evictions = new NoExecuteEvictions(this);
    boolean indexed;
    try {
      pods.addIndexers(
          Map.of(
              NoExecuteEvictions.NODE_INDEX,
              p ->
                  p.getSpec().getNodeName() == null
                      ? List.of()
                      : List.of(p.getSpec().getNodeName())));
      indexed = true;
    } catch (RuntimeException e) {
      indexed = false; // already started or already indexed by another controller: scan instead
    }
    this.podsByNodeIndexed = indexed;
  }

  public static Controller create(ControllerContext ctx) {
    return factory(Options.defaults()).apply(ctx);
  }

  public static Function<ControllerContext, Controller> factory(Options options) {
    return ctx -> {
      NodeLifecycleController r = new NodeLifecycleController(ctx, options);
      return Controller.builder(ctx, NAME, r)
          .watch(r.nodes)
          .watch(
              r.leases,
              l ->
                  LEASE_NAMESPACE.equals(l.getMetadata().getNamespace())
                      ? List.of(l.getMetadata().getName())
                      : List.of())
          .watch(
              r.pods,
              p ->
                  p.getSpec().getNodeName() == null || p.getSpec().getNodeName().isEmpty()
                      ? List.of()
                      : List.of(p.getSpec().getNodeName()))
          .workers(2)
          .build();
    };
  }

  @Override
  public Result reconcile(String name) {
    Node node = nodes.getStore().getByKey(name);
    if (node == null) {
      synchronized (probes) {
        probes.remove(name);
      }
      return Result.done();
    }
    Instant now = ctx.clock().now();
    Instant probed = observe(name, node, now);
    Instant deadline = probed.plus(options.gracePeriod());
    Result result = Result.done();
    if (!deadline.isAfter(now)) {
      node = markUnknown(node, now);
    } else {
      result = Result.requeueAfter(Duration.between(now, deadline));
    }
    node = syncTaints(node, now);
    Result evict = evictions.sync(node, now);
    if (evict.retry() && (!result.retry() || evict.after().compareTo(result.after()) < 0)) {
      result = evict;
    }
    return result;
  }

  /** When this controller last saw the node's Lease (or Ready heartbeat) change. */
  private Instant observe(String name, Node node, Instant now) {
    Lease lease = leases.getStore().getByKey(LEASE_NAMESPACE + "/" + name);
    String renew =
        lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null
            ? ""
            : lease.getSpec().getRenewTime().toInstant().toString();
    String heartbeat =
        ready(node) == null || ready(node).getLastHeartbeatTime() == null
            ? ""
            : ready(node).getLastHeartbeatTime();
    String seen = renew + "|" + heartbeat;
    synchronized (probes) {
      Probe p = probes.get(name);
      if (p == null || !p.renewTime().equals(seen)) {
        p = new Probe(seen, now);
        probes.put(name, p);
      }
      return p.seenAt();
    }
  }

  static NodeCondition ready(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return null;
    }
    return node.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  /** Upstream's {@code tryUpdateNodeHealth} once the grace period has passed. */
  private Node markUnknown(Node node, Instant now) {
    String ts = Pods.timestamp(now);
    List<NodeCondition> conds =
        new ArrayList<>(
            node.getStatus() == null || node.getStatus().getConditions() == null
                ? List.of()
                : node.getStatus().getConditions());
    boolean changed = false;
    if (conds.stream().noneMatch(c -> "Ready".equals(c.getType()))) {
      conds.add(
          new NodeConditionBuilder()
              .withType("Ready")
              .withStatus("Unknown")
              .withReason("NodeStatusNeverUpdated")
              .withMessage("Kubelet never posted node status.")
              .withLastHeartbeatTime(ts)
              .withLastTransitionTime(ts)
              .build());
      changed = true;
    }
    for (int i = 0; i < conds.size(); i++) {
      NodeCondition c = conds.get(i);
      if (CONDITIONS.contains(c.getType()) && !"Unknown".equals(c.getStatus())) {
        conds.set(
            i,
            new NodeConditionBuilder(c)
                .withStatus("Unknown")
                .withReason("NodeStatusUnknown")
                .withMessage(UNKNOWN_MESSAGE)
                .withLastTransitionTime(ts)
                .build());
        changed = true;
      }
    }
    if (!changed) {
      return node;
    }
    Node next = new NodeBuilder(node).editOrNewStatus().withConditions(conds).endStatus().build();
    events.normal(
        node, "NodeNotReady", "Node %s status is now: NodeNotReady", node.getMetadata().getName());
    return ctx.client().nodes().resource(next).updateStatus();
  }

  /** The not-ready/unreachable NoSchedule and NoExecute taints follow the Ready condition. */
  private Node syncTaints(Node node, Instant now) {
    NodeCondition r = ready(node);
    String status = r == null ? "Unknown" : r.getStatus();
    String want =
        switch (status) {
          case "True" -> null;
          case "False" -> Taints.NOT_READY;
          default -> Taints.UNREACHABLE;
        };
    if (r == null) {
      want = null; // a node that never reported is handled once its grace period passes
    }
    List<Taint> taints =
        new ArrayList<>(
            node.getSpec() == null || node.getSpec().getTaints() == null
                ? List.of()
                : node.getSpec().getTaints());
    List<Taint> before = List.copyOf(taints);
    String keep = want;
    taints.removeIf(
        t ->
            (Taints.NOT_READY.equals(t.getKey()) || Taints.UNREACHABLE.equals(t.getKey()))
                && !t.getKey().equals(keep));
    if (want != null) {
      for (String effect : List.of(Taints.NO_SCHEDULE, Taints.NO_EXECUTE)) {
        if (taints.stream()
            .noneMatch(t -> keep.equals(t.getKey()) && effect.equals(t.getEffect()))) {
          TaintBuilder b = new TaintBuilder().withKey(want).withEffect(effect);
          if (Taints.NO_EXECUTE.equals(effect)) {
            b.withTimeAdded(Pods.timestamp(now));
          }
          taints.add(b.build());
        }
      }
    }
    if (Objects.equals(before, taints)) {
      return node;
    }
    Node next = new NodeBuilder(node).editOrNewSpec().withTaints(taints).endSpec().build();
    return ctx.client().nodes().resource(next).update();
  }
}
