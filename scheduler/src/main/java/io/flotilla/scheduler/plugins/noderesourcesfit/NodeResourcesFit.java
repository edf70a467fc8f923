package io.flotilla.scheduler.plugins.noderesourcesfit;

import io.flotilla.scheduler.framework.ClusterEvent;
import io.flotilla.scheduler.framework.CycleState;
import io.flotilla.scheduler.framework.EnqueueExtensions;
import io.flotilla.scheduler.framework.FilterPlugin;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.NodeInfoLister;
import io.flotilla.scheduler.framework.NodeScores;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.PreFilterPlugin;
import io.flotilla.scheduler.framework.Resource;
import io.flotilla.scheduler.framework.ScorePlugin;
import io.flotilla.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Filter: the node's allocatable minus what its pods request must cover the pod's requests
 * (init-container and sidecar rules and overhead included, see PodRequests) and leave room for one
 * more pod. A request larger than the node's whole allocatable cannot be fixed by preemption, so it
 * is UnschedulableAndUnresolvable. Score: cpu and memory utilization after placement, by the
 * configured strategy, counting containers without requests at the defaults.
 */
public final class NodeResourcesFit
    implements PreFilterPlugin, FilterPlugin, ScorePlugin, EnqueueExtensions {
  public static final String NAME = "NodeResourcesFit";
  public static final String TOO_MANY_PODS = "Too many pods";
  public static final String INSUFFICIENT_CPU = "Insufficient cpu";
  public static final String INSUFFICIENT_MEMORY = "Insufficient memory";
  public static final String INSUFFICIENT_EPHEMERAL_STORAGE = "Insufficient ephemeral-storage";

  private final ScoringStrategy strategy;

  public NodeResourcesFit(ScoringStrategy strategy) {
    this.strategy = strategy;
  }

  public NodeResourcesFit() {
    this(ScoringStrategy.LEAST_ALLOCATED);
  }

  public static String insufficient(String resource) {
    return "Insufficient " + resource;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status preFilter(CycleState state, PodInfo pod, NodeInfoLister nodes) {
    // Requests are computed once per pod in PodInfo; nothing to precompute per cycle.
    return Status.success();
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    Resource want = pod.requests();
    Resource alloc = node.allocatable();
    Resource used = node.requested();
    List<String> reasons = null;
    boolean unresolvable = false;
    if (node.pods().size() + 1 > alloc.allowedPodNumber()) {
      reasons = add(reasons, TOO_MANY_PODS);
    }
    if (!want.isZero()) {
      if (want.milliCpu() > 0 && want.milliCpu() > alloc.milliCpu() - used.milliCpu()) {
        reasons = add(reasons, INSUFFICIENT_CPU);
        unresolvable |= want.milliCpu() > alloc.milliCpu();
      }
      if (want.memory() > 0 && want.memory() > alloc.memory() - used.memory()) {
        reasons = add(reasons, INSUFFICIENT_MEMORY);
        unresolvable |= want.memory() > alloc.memory();
      }
      if (want.ephemeralStorage() > 0
          && want.ephemeralStorage() > alloc.ephemeralStorage() - used.ephemeralStorage()) {
        reasons = add(reasons, INSUFFICIENT_EPHEMERAL_STORAGE);
        unresolvable |= want.ephemeralStorage() > alloc.ephemeralStorage();
      }
      for (Map.Entry<String, Long> e : want.scalars().entrySet()) {
        long q = e.getValue();
        if (q > 0 && q > alloc.get(e.getKey()) - used.get(e.getKey())) {
          reasons = add(reasons, insufficient(e.getKey()));
          unresolvable |= q > alloc.get(e.getKey());
        }
      }
    }
    if (reasons == null) {
      return Status.success();
    }
    String[] r = reasons.toArray(new String[0]);
    return unresolvable ? Status.unresolvable(r) : Status.unschedulable(r);
  }

  private static List<String> add(List<String> reasons, String reason) {
    List<String> l = reasons == null ? new ArrayList<>(2) : reasons;
    l.add(reason);
    return l;
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    long cpu =
        resourceScore(
            node.nonZeroRequested().milliCpu() + pod.nonZeroRequests().milliCpu(),
            node.allocatable().milliCpu());
    long mem =
        resourceScore(
            node.nonZeroRequested().memory() + pod.nonZeroRequests().memory(),
            node.allocatable().memory());
    // cpu and memory, weight 1 each, as upstream's default resource set.
    return (cpu + mem) / 2;
  }

  private long resourceScore(long requested, long capacity) {
    if (capacity == 0) {
      return 0;
    }
    return switch (strategy) {
      case LEAST_ALLOCATED ->
          requested > capacity ? 0 : (capacity - requested) * NodeScores.MAX_NODE_SCORE / capacity;
      case MOST_ALLOCATED -> Math.min(requested, capacity) * NodeScores.MAX_NODE_SCORE / capacity;
    };
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(
        ClusterEvent.of(
            ClusterEvent.EventResource.ASSIGNED_POD,
            ClusterEvent.DELETE | ClusterEvent.UPDATE_POD_SCALE_DOWN),
        ClusterEvent.of(
            ClusterEvent.EventResource.NODE,
            ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_ALLOCATABLE));
  }
}
