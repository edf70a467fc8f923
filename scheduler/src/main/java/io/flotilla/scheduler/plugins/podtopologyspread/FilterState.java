package io.flotilla.scheduler.plugins.podtopologyspread;

import io.flotilla.scheduler.framework.CycleState;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.RequiredNodeAffinity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Matching pods per domain for each DoNotSchedule constraint, and each constraint's minimum. */
final class FilterState implements CycleState.Copyable {
  final List<SpreadConstraint> constraints;
  final RequiredNodeAffinity affinity;
  final List<Map<String, Integer>> counts;
  final int[] minMatch;

  FilterState(List<SpreadConstraint> constraints, RequiredNodeAffinity affinity) {
    this.constraints = constraints;
    this.affinity = affinity;
    this.counts = new ArrayList<>();
    for (int i = 0; i < constraints.size(); i++) {
      counts.add(new HashMap<>());
    }
    this.minMatch = new int[constraints.size()];
  }

  private FilterState(FilterState o) {
    this.constraints = o.constraints;
    this.affinity = o.affinity;
    this.counts = new ArrayList<>();
    for (Map<String, Integer> m : o.counts) {
      counts.add(new HashMap<>(m));
    }
    this.minMatch = o.minMatch.clone();
  }

  @Override
  public FilterState copy() {
    return new FilterState(this);
  }

  void countNode(PodInfo pod, NodeInfo node) {
    if (!SpreadConstraint.nodeHasAllKeys(node, constraints)) {
      return;
    }
    for (int i = 0; i < constraints.size(); i++) {
      SpreadConstraint c = constraints.get(i);
      if (c.includes(pod, node, affinity)) {
        counts
            .get(i)
            .merge(
                node.labels().get(c.topologyKey()),
                c.countMatching(node, pod.namespace()),
                Integer::sum);
      }
    }
  }

  /** Recomputes the minima; fewer domains than minDomains makes the minimum 0. */
  void computeMinima() {
    for (int i = 0; i < constraints.size(); i++) {
      Map<String, Integer> m = counts.get(i);
      int min = Integer.MAX_VALUE;
      for (int v : m.values()) {
        min = Math.min(min, v);
      }
      minMatch[i] = m.isEmpty() || m.size() < constraints.get(i).minDomains() ? 0 : min;
    }
  }

  /** Preemption/nominated pods: {@code other} joins (+1) or leaves (-1) {@code node}. */
  void update(PodInfo pod, PodInfo other, NodeInfo node, int delta) {
    if (!SpreadConstraint.nodeHasAllKeys(node, constraints)
        || !pod.namespace().equals(other.namespace())
        || other.isTerminating()) {
      return;
    }
    for (int i = 0; i < constraints.size(); i++) {
      SpreadConstraint c = constraints.get(i);
      if (c.includes(pod, node, affinity) && c.selector().matches(other.labels())) {
        counts.get(i).merge(node.labels().get(c.topologyKey()), delta, Integer::sum);
      }
    }
    computeMinima();
  }
}
