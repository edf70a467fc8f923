package io.flotilla.scheduler.plugins.interpodaffinity;

import io.flotilla.scheduler.framework.AffinityTerm;
import io.flotilla.scheduler.framework.NamespaceLabels;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.WeightedAffinityTerm;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Weights per topology domain from preferred terms, in both directions: the incoming pod's
 * preferred terms that select existing pods, and existing pods' preferred (and, at the hard weight,
 * required) affinity terms that select the incoming pod. Anti-affinity subtracts.
 */
final class PreferredScores {
  final Map<String, Map<String, Long>> byKey = new HashMap<>();

  void processExistingPod(
      PodInfo incoming, PodInfo existing, NodeInfo node, NamespaceLabels ns, int hardWeight) {
    terms(incoming.preferredAffinity(), existing, node, ns, 1);
    terms(incoming.preferredAntiAffinity(), existing, node, ns, -1);
    if (hardWeight > 0) {
      for (AffinityTerm t : existing.requiredAffinity()) {
        term(t, hardWeight, incoming, node, ns);
      }
    }
    terms(existing.preferredAffinity(), incoming, node, ns, 1);
    terms(existing.preferredAntiAffinity(), incoming, node, ns, -1);
  }

  private void terms(
      List<WeightedAffinityTerm> terms,
      PodInfo target,
      NodeInfo node,
      NamespaceLabels ns,
      int sign) {
    for (WeightedAffinityTerm w : terms) {
      term(w.term(), sign * w.weight(), target, node, ns);
    }
  }

  private void term(
      AffinityTerm t, long weight, PodInfo target, NodeInfo node, NamespaceLabels ns) {
    if (!t.matches(target, ns)) {
      return;
    }
    String value = node.labels().get(t.topologyKey());
    if (value != null) {
      byKey.computeIfAbsent(t.topologyKey(), k -> new HashMap<>()).merge(value, weight, Long::sum);
    }
  }

  long score(NodeInfo node) {
    long s = 0;
    for (Map.Entry<String, Map<String, Long>> e : byKey.entrySet()) {
      String v = node.labels().get(e.getKey());
      if (v != null) {
        s += e.getValue().getOrDefault(v, 0L);
      }
    }
    return s;
  }
}
