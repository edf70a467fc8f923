package io.flotilla.scheduler.plugins.nodeaffinity;

import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.flotilla.scheduler.framework.ClusterEvent;
import io.flotilla.scheduler.framework.CycleState;
import io.flotilla.scheduler.framework.EnqueueExtensions;
import io.flotilla.scheduler.framework.FilterPlugin;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.NodeInfoLister;
import io.flotilla.scheduler.framework.NodeScores;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.PreFilterPlugin;
import io.flotilla.scheduler.framework.PreScorePlugin;
import io.flotilla.scheduler.framework.RequiredNodeAffinity;
import io.flotilla.scheduler.framework.ScoreExtensions;
import io.flotilla.scheduler.framework.ScorePlugin;
import io.flotilla.scheduler.framework.Status;
import java.util.List;

/**
 * Filter: the node must match the pod's nodeSelector and one of its required node affinity terms.
 * Score: the sum of the weights of the preferred terms the node matches, normalized.
 */
public final class NodeAffinity
    implements PreFilterPlugin,
        FilterPlugin,
        PreScorePlugin,
        ScorePlugin,
        ScoreExtensions,
        EnqueueExtensions {
  public static final String NAME = "NodeAffinity";
  public static final String ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";

  private static final CycleState.Key<RequiredNodeAffinity> PRE_FILTER =
      new CycleState.Key<>(NAME + "/preFilter");
  private static final CycleState.Key<List<PreferredSchedulingTerm>> PRE_SCORE =
      new CycleState.Key<>(NAME + "/preScore");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status preFilter(CycleState state, PodInfo pod, NodeInfoLister nodes) {
    RequiredNodeAffinity required = RequiredNodeAffinity.of(pod.pod());
    if (required.isEmpty()) {
      return Status.skip();
    }
    state.write(PRE_FILTER, required);
    return Status.success();
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    RequiredNodeAffinity required = state.read(PRE_FILTER);
    if (required == null) {
      required = RequiredNodeAffinity.of(pod.pod());
    }
    return required.matches(node) ? Status.success() : Status.unresolvable(ERR_REASON_POD);
  }

  @Override
  public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    var affinity = pod.pod().getSpec().getAffinity();
    List<PreferredSchedulingTerm> preferred =
        affinity == null || affinity.getNodeAffinity() == null
            ? null
            : affinity.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
    if (preferred == null || preferred.isEmpty()) {
      return Status.skip();
    }
    state.write(PRE_SCORE, preferred);
    return Status.success();
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    long sum = 0;
    for (PreferredSchedulingTerm t : state.read(PRE_SCORE)) {
      int weight = t.getWeight() == null ? 0 : t.getWeight();
      if (weight != 0 && RequiredNodeAffinity.termMatches(t.getPreference(), node)) {
        sum += weight;
      }
    }
    return sum;
  }

  @Override
  public ScoreExtensions scoreExtensions() {
    return this;
  }

  @Override
  public Status normalizeScore(CycleState s, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
    NodeScores.defaultNormalize(scores, false);
    return Status.success();
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(
        ClusterEvent.of(
            ClusterEvent.EventResource.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_LABEL));
  }
}
