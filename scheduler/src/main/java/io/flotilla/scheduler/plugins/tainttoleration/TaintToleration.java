package io.flotilla.scheduler.plugins.tainttoleration;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.flotilla.scheduler.framework.ClusterEvent;
import io.flotilla.scheduler.framework.CycleState;
import io.flotilla.scheduler.framework.EnqueueExtensions;
import io.flotilla.scheduler.framework.FilterPlugin;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.NodeScores;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.PreScorePlugin;
import io.flotilla.scheduler.framework.ScoreExtensions;
import io.flotilla.scheduler.framework.ScorePlugin;
import io.flotilla.scheduler.framework.Status;
import io.flotilla.scheduler.framework.Tolerations;
import java.util.ArrayList;
import java.util.List;

/**
 * Filter: a pod must tolerate every NoSchedule and NoExecute taint of the node. Score: fewer
 * untolerated PreferNoSchedule taints is better (counted, then normalized in reverse).
 */
public final class TaintToleration
    implements FilterPlugin, PreScorePlugin, ScorePlugin, ScoreExtensions, EnqueueExtensions {
  public static final String NAME = "TaintToleration";

  private static final CycleState.Key<List<Toleration>> PRE_SCORE =
      new CycleState.Key<>(NAME + "/preScore");

  /** Upstream's wording: "node(s) had untolerated taint {key: value}". */
  public static String errReasonUntolerated(Taint t) {
    return "node(s) had untolerated taint {"
        + t.getKey()
        + ": "
        + (t.getValue() == null ? "" : t.getValue())
        + "}";
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    Taint t = Tolerations.firstUntolerated(node.taints(), pod.pod().getSpec().getTolerations());
    return t == null ? Status.success() : Status.unresolvable(errReasonUntolerated(t));
  }

  @Override
  public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    List<Toleration> preferNoSchedule = new ArrayList<>();
    List<Toleration> all = pod.pod().getSpec().getTolerations();
    if (all != null) {
      for (Toleration t : all) {
        if (t.getEffect() == null
            || t.getEffect().isEmpty()
            || "PreferNoSchedule".equals(t.getEffect())) {
          preferNoSchedule.add(t);
        }
      }
    }
    state.write(PRE_SCORE, preferNoSchedule);
    return Status.success();
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    List<Toleration> tolerations = state.read(PRE_SCORE);
    long count = 0;
    for (Taint t : node.taints()) {
      if ("PreferNoSchedule".equals(t.getEffect()) && !Tolerations.tolerates(tolerations, t)) {
        count++;
      }
    }
    return count;
  }

  @Override
  public ScoreExtensions scoreExtensions() {
    return this;
  }

  @Override
  public Status normalizeScore(CycleState s, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
    NodeScores.defaultNormalize(scores, true);
    return Status.success();
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(
        ClusterEvent.of(
            ClusterEvent.EventResource.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_TAINT),
        ClusterEvent.of(ClusterEvent.EventResource.UNSCHEDULED_POD, ClusterEvent.UPDATE_OTHER));
  }
}
