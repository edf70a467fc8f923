package io.flotilla.controllers.podgc;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.flotilla.controllers.runtime.Controller;
import io.flotilla.controllers.runtime.ControllerContext;
import io.flotilla.controllers.runtime.Reconciler;
import io.flotilla.controllers.runtime.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The pod garbage collector (upstream's {@code pod-garbage-collector}), one pass over all pods per
 * reconcile of the single key {@link #KEY} (queued by any pod or node change and every {@link
 * Options#period}): force-deletes pods bound to nodes that have been gone for the quarantine time
 * (40 s), unscheduled pods that are terminating, and the oldest terminated (Succeeded or Failed)
 * pods beyond the threshold (12500).
 *
 * <p>Threading: see {@link Controller}; one key means one pass at a time. The quarantine table is
 * only touched by that pass.
 */
public final class PodGcController implements Reconciler {
  public static final String NAME = "podgc";
  static final String KEY = "podgc";

  /**
   * @param terminatedThreshold terminated pods kept (upstream {@code
   *     --terminated-pod-gc-threshold}, 12500; 0 disables that part)
   * @param quarantine how long a node must be gone before its pods are deleted (40 s)
   * @param period how often the pass runs without any change (upstream's gcCheckPeriod, 20 s)
   */
  public record Options(int terminatedThreshold, Duration quarantine, Duration period) {
    public static Options defaults() {
      return new Options(12500, Duration.ofSeconds(40), Duration.ofSeconds(20));
    }
  }

  private final ControllerContext ctx;
  private final Options options;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Node> nodes;
  private final Map<String, Instant> missingSince = new HashMap<>();

  private PodGcController(ControllerContext ctx, Options options) {
    this.ctx = ctx;
    this.options = options;
    this.pods = ctx.informers().forType(Pod.class);
    this.nodes = ctx.informers().forType(Node.class);
  }

  public static Controller create(ControllerContext ctx) {
    return factory(Options.defaults()).apply(ctx);
  }

  public static Function<ControllerContext, Controller> factory(Options options) {
    return ctx -> {
      PodGcController r = new PodGcController(ctx, options);
      return Controller.builder(ctx, NAME, r)
          .watch(r.pods, p -> List.of(KEY))
          .watch(r.nodes, n -> List.of(KEY))
          .build();
    };
  }

  @Override
  public Result reconcile(String key) {
    Instant now = ctx.clock().now();
    List<Pod> all = pods.getStore().list();
    gcTerminated(all);
    Set<String> live = new HashSet<>();
    nodes.getStore().list().forEach(n -> live.add(n.getMetadata().getName()));
    missingSince.keySet().removeIf(live::contains);
    for (Pod p : all) {
      String node = p.getSpec().getNodeName();
      if (node == null || node.isEmpty()) {
        if (p.getMetadata().getDeletionTimestamp() != null) {
          forceDelete(p);
        }
        continue;
      }
      if (live.contains(node)) {
        continue;
      }
      Instant since = missingSince.computeIfAbsent(node, n -> now);
      if (!since.plus(options.quarantine()).isAfter(now) && nodeGone(node)) {
        forceDelete(p);
      }
    }
    missingSince
        .keySet()
        .removeIf(n -> all.stream().noneMatch(p -> n.equals(p.getSpec().getNodeName())));
    Duration next = options.period();
    for (Instant since : missingSince.values()) {
      Duration d = Duration.between(now, since.plus(options.quarantine()));
      if (!d.isNegative() && !d.isZero() && d.compareTo(next) < 0) {
        next = d;
      }
    }
    return Result.requeueAfter(next);
  }

  /** Asks the API rather than the cache, as upstream does, before deleting a node's pods. */
  private boolean nodeGone(String node) {
    return ctx.client().nodes().withName(node).get() == null;
  }

  private void gcTerminated(List<Pod> all) {
    if (options.terminatedThreshold() <= 0) {
      return;
    }
    List<Pod> terminated =
        all.stream()
            .filter(
                p ->
                    p.getStatus() != null
                        && ("Succeeded".equals(p.getStatus().getPhase())
                            || "Failed".equals(p.getStatus().getPhase())))
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .sorted(
                Comparator.comparing(
                        (Pod p) -> Instant.parse(p.getMetadata().getCreationTimestamp()))
                    .thenComparing(p -> p.getMetadata().getName()))
            .toList();
    int excess = terminated.size() - options.terminatedThreshold();
    for (int i = 0; i < excess; i++) {
      forceDelete(terminated.get(i));
    }
  }

  private void forceDelete(Pod p) {
    try {
      ctx.client()
          .pods()
          .inNamespace(p.getMetadata().getNamespace())
          .withName(p.getMetadata().getName())
          .withGracePeriod(0)
          .delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }
}
