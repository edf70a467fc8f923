package io.flotilla.scheduler.plugins.interpodaffinity;

import io.flotilla.scheduler.framework.AffinityTerm;
import io.flotilla.scheduler.framework.ClusterEvent;
import io.flotilla.scheduler.framework.CycleState;
import io.flotilla.scheduler.framework.EnqueueExtensions;
import io.flotilla.scheduler.framework.FilterPlugin;
import io.flotilla.scheduler.framework.Handle;
import io.flotilla.scheduler.framework.NamespaceLabels;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.NodeInfoLister;
import io.flotilla.scheduler.framework.NodeScores;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.PreFilterExtensions;
import io.flotilla.scheduler.framework.PreFilterPlugin;
import io.flotilla.scheduler.framework.PreScorePlugin;
import io.flotilla.scheduler.framework.ScoreExtensions;
import io.flotilla.scheduler.framework.ScorePlugin;
import io.flotilla.scheduler.framework.Status;
import java.util.List;
import java.util.Map;

/**
 * Required pod affinity and anti-affinity (the incoming pod's, and existing pods' anti-affinity
 * towards it), checked per topology domain from counts PreFilter computes once; preferred terms
 * scored both ways. The first pod of a group with affinity to itself may go anywhere its topology
 * keys exist, so such groups can start.
 */
public final class InterPodAffinity
    implements PreFilterPlugin,
        PreFilterExtensions,
        FilterPlugin,
        PreScorePlugin,
        ScorePlugin,
        ScoreExtensions,
        EnqueueExtensions {
  public static final String NAME = "InterPodAffinity";
  public static final String ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
  public static final String ERR_REASON_ANTI_AFFINITY =
      "node(s) didn't match pod anti-affinity rules";
  public static final String ERR_REASON_EXISTING_ANTI_AFFINITY =
      "node(s) didn't satisfy existing pods anti-affinity rules";

  /** Weight of an existing pod's required affinity term when scoring the pods it selects. */
  public static final int HARD_POD_AFFINITY_WEIGHT = 1;

  private static final CycleState.Key<FilterState> PRE_FILTER =
      new CycleState.Key<>(NAME + "/preFilter");
  private static final CycleState.Key<PreferredScores> PRE_SCORE =
      new CycleState.Key<>(NAME + "/preScore");

  private final Handle handle;

  public InterPodAffinity(Handle handle) {
    this.handle = handle;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status preFilter(CycleState state, PodInfo pod, NodeInfoLister nodes) {
    FilterState s = new FilterState(pod, nodes.namespaceLabels());
    for (NodeInfo n : nodes.havePodsWithRequiredAntiAffinity()) {
      for (PodInfo existing : n.podsWithRequiredAntiAffinity()) {
        s.addExistingAntiAffinity(existing, n, 1);
      }
    }
    boolean ownTerms = !pod.requiredAffinity().isEmpty() || !pod.requiredAntiAffinity().isEmpty();
    if (!ownTerms && s.existingAntiAffinity.isEmpty()) {
      return Status.skip(); // the common case: nothing to check on any node
    }
    if (ownTerms) {
      for (NodeInfo n : nodes.list()) {
        for (PodInfo existing : n.pods()) {
          s.addIncoming(existing, n, 1);
        }
      }
    }
    state.write(PRE_FILTER, s);
    return Status.success();
  }

  @Override
  public PreFilterExtensions preFilterExtensions() {
    return this;
  }

  @Override
  public Status addPod(CycleState state, PodInfo toSchedule, PodInfo toAdd, NodeInfo node) {
    FilterState s = state.read(PRE_FILTER);
    if (s != null) {
      s.update(toAdd, node, 1);
    }
    return Status.success();
  }

  @Override
  public Status removePod(CycleState state, PodInfo toSchedule, PodInfo toRemove, NodeInfo node) {
    FilterState s = state.read(PRE_FILTER);
    if (s != null) {
      s.update(toRemove, node, -1);
    }
    return Status.success();
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    FilterState s = state.read(PRE_FILTER);
    if (s == null) {
      return Status.error("InterPodAffinity: PreFilter state missing for pod " + pod.key());
    }
    if (!satisfiesAffinity(s, node)) {
      return Status.unresolvable(ERR_REASON_AFFINITY);
    }
    for (AffinityTerm t : s.pod.requiredAntiAffinity()) {
      String v = node.labels().get(t.topologyKey());
      if (v != null && s.antiAffinity.getOrDefault(new TopologyPair(t.topologyKey(), v), 0L) > 0) {
        return Status.unschedulable(ERR_REASON_ANTI_AFFINITY);
      }
    }
    if (!s.existingAntiAffinity.isEmpty()) {
      for (Map.Entry<String, String> l : node.labels().entrySet()) {
        if (s.existingAntiAffinity.getOrDefault(new TopologyPair(l.getKey(), l.getValue()), 0L)
            > 0) {
          return Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
        }
      }
    }
    return Status.success();
  }

  private static boolean satisfiesAffinity(FilterState s, NodeInfo node) {
    boolean podsExist = true;
    for (AffinityTerm t : s.pod.requiredAffinity()) {
      String v = node.labels().get(t.topologyKey());
      if (v == null) {
        return false;
      }
      if (s.affinity.getOrDefault(new TopologyPair(t.topologyKey(), v), 0L) <= 0) {
        podsExist = false;
      }
    }
    // The first pod of a self-affine group: no pod matches yet anywhere, and it matches itself.
    return podsExist
        || (s.affinity.isEmpty()
            && FilterState.matchesAll(s.pod, s.pod.requiredAffinity(), s.nsLabels));
  }

  @Override
  public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasible) {
    boolean hasConstraints =
        !pod.preferredAffinity().isEmpty() || !pod.preferredAntiAffinity().isEmpty();
    NodeInfoLister snapshot = handle.snapshot();
    NamespaceLabels ns = snapshot.namespaceLabels();
    // Without preferred terms of its own, only existing pods with affinity can score the pod.
    List<NodeInfo> nodes = hasConstraints ? snapshot.list() : snapshot.havePodsWithAffinity();
    PreferredScores scores = new PreferredScores();
    for (NodeInfo n : nodes) {
      List<PodInfo> pods = hasConstraints ? n.pods() : n.podsWithAffinity();
      for (PodInfo existing : pods) {
        scores.processExistingPod(pod, existing, n, ns, HARD_POD_AFFINITY_WEIGHT);
      }
    }
    if (scores.byKey.isEmpty()) {
      return Status.skip();
    }
    state.write(PRE_SCORE, scores);
    return Status.success();
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    return state.read(PRE_SCORE).score(node);
  }

  @Override
  public ScoreExtensions scoreExtensions() {
    return this;
  }

  @Override
  public Status normalizeScore(CycleState s, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (long v : scores) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    long diff = max - min;
    for (int i = 0; i < scores.length; i++) {
      scores[i] =
          diff > 0 ? (long) (NodeScores.MAX_NODE_SCORE * ((double) (scores[i] - min) / diff)) : 0;
    }
    return Status.success();
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(
        ClusterEvent.of(
            ClusterEvent.EventResource.ASSIGNED_POD,
            ClusterEvent.ADD | ClusterEvent.DELETE | ClusterEvent.UPDATE_POD_LABEL),
        ClusterEvent.of(
            ClusterEvent.EventResource.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_LABEL));
  }
}
