package io.flotilla.scheduler.plugins.podtopologyspread;

import io.flotilla.scheduler.framework.ClusterEvent;
import io.flotilla.scheduler.framework.CycleState;
import io.flotilla.scheduler.framework.EnqueueExtensions;
import io.flotilla.scheduler.framework.FilterPlugin;
import io.flotilla.scheduler.framework.Handle;
import io.flotilla.scheduler.framework.LabelSelectorMatcher;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.NodeInfoLister;
import io.flotilla.scheduler.framework.NodeScores;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.PreFilterExtensions;
import io.flotilla.scheduler.framework.PreFilterPlugin;
import io.flotilla.scheduler.framework.PreScorePlugin;
import io.flotilla.scheduler.framework.RequiredNodeAffinity;
import io.flotilla.scheduler.framework.ScoreExtensions;
import io.flotilla.scheduler.framework.ScorePlugin;
import io.flotilla.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Filter (DoNotSchedule): placing the pod must not make any domain exceed the least-loaded domain
 * by more than maxSkew. Score (ScheduleAnyway, or the system defaults for pods without constraints
 * of their own): fewer matching pods in the node's domains is better.
 */
public final class PodTopologySpread
    implements PreFilterPlugin,
        PreFilterExtensions,
        FilterPlugin,
        PreScorePlugin,
        ScorePlugin,
        ScoreExtensions,
        EnqueueExtensions {
  public static final String NAME = "PodTopologySpread";
  public static final String ERR_REASON_CONSTRAINTS_NOT_MATCH =
      "node(s) didn't match pod topology spread constraints";
  public static final String ERR_REASON_NODE_LABEL_NOT_MATCH =
      ERR_REASON_CONSTRAINTS_NOT_MATCH + " (missing required label)";
  public static final String HOSTNAME = "kubernetes.io/hostname";
  public static final String ZONE = "topology.kubernetes.io/zone";

  private static final CycleState.Key<FilterState> PRE_FILTER =
      new CycleState.Key<>(NAME + "/preFilter");
  private static final CycleState.Key<ScoreState> PRE_SCORE =
      new CycleState.Key<>(NAME + "/preScore");

  private final Handle handle;
  private final Function<PodInfo, LabelSelectorMatcher> defaultSelector;

  /**
   * @param defaultSelector the selector the system default constraints use for a pod (upstream:
   *     from the Services, ReplicaSets, StatefulSets selecting it); NOTHING disables them
   */
  public PodTopologySpread(Handle handle, Function<PodInfo, LabelSelectorMatcher> defaultSelector) {
    this.handle = handle;
    this.defaultSelector = defaultSelector;
  }

  public PodTopologySpread(Handle handle) {
    this(handle, PodTopologySpread::ownerSelector);
  }

  /**
   * Until the workload listers are wired in: a pod with a controller owner is spread among the pods
   * sharing all its labels (what a ReplicaSet's selector picks); others are not.
   */
  public static LabelSelectorMatcher ownerSelector(PodInfo pod) {
    var owners = pod.pod().getMetadata().getOwnerReferences();
    if (owners == null
        || owners.stream().noneMatch(o -> Boolean.TRUE.equals(o.getController()))
        || pod.labels().isEmpty()) {
      return LabelSelectorMatcher.NOTHING;
    }
    return LabelSelectorMatcher.of(
        new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
            .withMatchLabels(pod.labels())
            .build());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status preFilter(CycleState state, PodInfo pod, NodeInfoLister nodes) {
    List<SpreadConstraint> constraints = SpreadConstraint.of(pod, "DoNotSchedule");
    if (constraints.isEmpty()) {
      return Status.skip();
    }
    FilterState s = new FilterState(constraints, RequiredNodeAffinity.of(pod.pod()));
    for (NodeInfo n : nodes.list()) {
      s.countNode(pod, n);
    }
    s.computeMinima();
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
      s.update(toSchedule, toAdd, node, 1);
    }
    return Status.success();
  }

  @Override
  public Status removePod(CycleState state, PodInfo toSchedule, PodInfo toRemove, NodeInfo node) {
    FilterState s = state.read(PRE_FILTER);
    if (s != null) {
      s.update(toSchedule, toRemove, node, -1);
    }
    return Status.success();
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    FilterState s = state.read(PRE_FILTER);
    if (s == null) {
      return Status.error("PodTopologySpread: PreFilter state missing for pod " + pod.key());
    }
    for (int i = 0; i < s.constraints.size(); i++) {
      SpreadConstraint c = s.constraints.get(i);
      String value = node.labels().get(c.topologyKey());
      if (value == null) {
        return Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
      }
      int self = c.selector().matches(pod.labels()) ? 1 : 0;
      int matching = s.counts.get(i).getOrDefault(value, 0);
      if (matching + self - s.minMatch[i] > c.maxSkew()) {
        return Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
      }
    }
    return Status.success();
  }

  @Override
  public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasible) {
    List<SpreadConstraint> constraints = SpreadConstraint.of(pod, "ScheduleAnyway");
    boolean systemDefaulted = false;
    var own = pod.pod().getSpec().getTopologySpreadConstraints();
    if (own == null || own.isEmpty()) {
      LabelSelectorMatcher sel = defaultSelector.apply(pod);
      if (sel.isNothing()) {
        return Status.skip();
      }
      constraints =
          List.of(
              SpreadConstraint.create(3, HOSTNAME, sel, 1, true, false, pod.namespace()),
              SpreadConstraint.create(5, ZONE, sel, 1, true, false, pod.namespace()));
      systemDefaulted = true;
    }
    if (constraints.isEmpty() || feasible.isEmpty()) {
      return Status.skip();
    }
    // Nodes without a topology key are only left out for constraints the user wrote.
    boolean requireAllKeys = !systemDefaulted;
    ScoreState s =
        new ScoreState(
            constraints,
            RequiredNodeAffinity.of(pod.pod()),
            new ArrayList<>(),
            new double[constraints.size()],
            ScoreState.newIgnored());
    int[] domains = new int[constraints.size()];
    for (int i = 0; i < constraints.size(); i++) {
      s.counts().add(new HashMap<>());
    }
    for (NodeInfo n : feasible) {
      if (requireAllKeys && !SpreadConstraint.nodeHasAllKeys(n, constraints)) {
        s.ignoredNodes().add(n.name());
        continue;
      }
      for (int i = 0; i < constraints.size(); i++) {
        String key = constraints.get(i).topologyKey();
        String v = n.labels().get(key);
        if (!HOSTNAME.equals(key)
            && v != null
            && s.counts().get(i).putIfAbsent(v, new AtomicLong()) == null) {
          domains[i]++;
        }
      }
    }
    for (int i = 0; i < constraints.size(); i++) {
      int size =
          HOSTNAME.equals(constraints.get(i).topologyKey())
              ? feasible.size() - s.ignoredNodes().size()
              : domains[i];
      s.weights()[i] = Math.log(size + 2);
    }
    List<NodeInfo> all = handle.snapshot().list();
    handle
        .parallelizer()
        .until(all.size(), idx -> countForScore(s, pod, all.get(idx), requireAllKeys));
    state.write(PRE_SCORE, s);
    return Status.success();
  }

  private static void countForScore(ScoreState s, PodInfo pod, NodeInfo n, boolean requireAll) {
    if (requireAll && !SpreadConstraint.nodeHasAllKeys(n, s.constraints())) {
      return;
    }
    for (int i = 0; i < s.constraints().size(); i++) {
      SpreadConstraint c = s.constraints().get(i);
      String v = n.labels().get(c.topologyKey());
      AtomicLong count = v == null ? null : s.counts().get(i).get(v);
      if (count != null && c.includes(pod, n, s.affinity())) {
        count.addAndGet(c.countMatching(n, pod.namespace()));
      }
    }
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    ScoreState s = state.read(PRE_SCORE);
    if (s.ignoredNodes().contains(node.name())) {
      return 0;
    }
    double score = 0;
    for (int i = 0; i < s.constraints().size(); i++) {
      SpreadConstraint c = s.constraints().get(i);
      String v = node.labels().get(c.topologyKey());
      if (v == null) {
        continue;
      }
      long count =
          HOSTNAME.equals(c.topologyKey())
              ? c.countMatching(node, pod.namespace())
              : s.counts().get(i).get(v).get();
      score += count * s.weights()[i] + (c.maxSkew() - 1);
    }
    return Math.round(score);
  }

  @Override
  public ScoreExtensions scoreExtensions() {
    return this;
  }

  @Override
  public Status normalizeScore(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
    ScoreState s = state.read(PRE_SCORE);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < scores.length; i++) {
      if (!s.ignoredNodes().contains(nodes.get(i).name())) {
        min = Math.min(min, scores[i]);
        max = Math.max(max, scores[i]);
      }
    }
    for (int i = 0; i < scores.length; i++) {
      if (s.ignoredNodes().contains(nodes.get(i).name())) {
        scores[i] = 0;
      } else if (max == 0) {
        scores[i] = NodeScores.MAX_NODE_SCORE;
      } else {
        scores[i] = NodeScores.MAX_NODE_SCORE * (max + min - scores[i]) / max;
      }
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
            ClusterEvent.EventResource.NODE,
            ClusterEvent.ADD
                | ClusterEvent.DELETE
                | ClusterEvent.UPDATE_NODE_LABEL
                | ClusterEvent.UPDATE_NODE_TAINT));
  }
}
