package io.flotilla.scheduler.plugins.interpodaffinity;

import io.flotilla.scheduler.framework.AffinityTerm;
import io.flotilla.scheduler.framework.CycleState;
import io.flotilla.scheduler.framework.NamespaceLabels;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.PodInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-cycle counts, per topology domain, of: existing pods whose required anti-affinity selects the
 * incoming pod; existing pods matching all the incoming pod's required affinity terms; and existing
 * pods matching each of its required anti-affinity terms.
 */
final class FilterState implements CycleState.Copyable {
  final PodInfo pod;
  final NamespaceLabels nsLabels;
  final Map<TopologyPair, Long> existingAntiAffinity;
  final Map<TopologyPair, Long> affinity;
  final Map<TopologyPair, Long> antiAffinity;

  FilterState(PodInfo pod, NamespaceLabels nsLabels) {
    this(pod, nsLabels, new HashMap<>(), new HashMap<>(), new HashMap<>());
  }

  private FilterState(
      PodInfo pod,
      NamespaceLabels nsLabels,
      Map<TopologyPair, Long> existing,
      Map<TopologyPair, Long> affinity,
      Map<TopologyPair, Long> anti) {
    this.pod = pod;
    this.nsLabels = nsLabels;
    this.existingAntiAffinity = existing;
    this.affinity = affinity;
    this.antiAffinity = anti;
  }

  @Override
  public FilterState copy() {
    return new FilterState(
        pod,
        nsLabels,
        new HashMap<>(existingAntiAffinity),
        new HashMap<>(affinity),
        new HashMap<>(antiAffinity));
  }

  /** Counts the existing pods' anti-affinity terms that select the incoming pod. */
  void addExistingAntiAffinity(PodInfo existing, NodeInfo node, long delta) {
    for (AffinityTerm t : existing.requiredAntiAffinity()) {
      if (t.matches(pod, nsLabels)) {
        bump(existingAntiAffinity, t.topologyKey(), node, delta);
      }
    }
  }

  /** Counts {@code existing} against the incoming pod's required (anti-)affinity terms. */
  void addIncoming(PodInfo existing, NodeInfo node, long delta) {
    List<AffinityTerm> aff = pod.requiredAffinity();
    if (!aff.isEmpty() && matchesAll(existing, aff, nsLabels)) {
      for (AffinityTerm t : aff) {
        bump(affinity, t.topologyKey(), node, delta);
      }
    }
    for (AffinityTerm t : pod.requiredAntiAffinity()) {
      if (t.matches(existing, nsLabels)) {
        bump(antiAffinity, t.topologyKey(), node, delta);
      }
    }
  }

  /** Preemption/nominated pods: the whole effect of {@code other} joining or leaving a node. */
  void update(PodInfo other, NodeInfo node, long delta) {
    addExistingAntiAffinity(other, node, delta);
    addIncoming(other, node, delta);
  }

  static boolean matchesAll(PodInfo pod, List<AffinityTerm> terms, NamespaceLabels ns) {
    for (AffinityTerm t : terms) {
      if (!t.matches(pod, ns)) {
        return false;
      }
    }
    return true;
  }

  private static void bump(Map<TopologyPair, Long> m, String key, NodeInfo node, long delta) {
    String value = node.labels().get(key);
    if (value == null) {
      return;
    }
    TopologyPair p = new TopologyPair(key, value);
    long n = m.getOrDefault(p, 0L) + delta;
    if (n == 0) {
      m.remove(p);
    } else {
      m.put(p, n);
    }
  }
}
