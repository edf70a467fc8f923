package io.flotilla.scheduler.plugins.podtopologyspread;

import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.flotilla.scheduler.framework.LabelSelectorMatcher;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.RequiredNodeAffinity;
import io.flotilla.scheduler.framework.Tolerations;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A compiled topology spread constraint: matchLabelKeys already folded into the selector, the node
 * inclusion policies resolved to booleans (nodeAffinityPolicy defaults to Honor, nodeTaintsPolicy
 * to Ignore).
 */
record SpreadConstraint(
    int maxSkew,
    String topologyKey,
    LabelSelectorMatcher selector,
    int minDomains,
    boolean honorNodeAffinity,
    boolean honorNodeTaints,
    Object countKey) {

  /** A constraint of a pod in {@code namespace}; its count key is built once, hashed once. */
  static SpreadConstraint create(
      int maxSkew,
      String topologyKey,
      LabelSelectorMatcher selector,
      int minDomains,
      boolean honorNodeAffinity,
      boolean honorNodeTaints,
      String namespace) {
    return new SpreadConstraint(
        maxSkew,
        topologyKey,
        selector,
        minDomains,
        honorNodeAffinity,
        honorNodeTaints,
        new CountKey(namespace, selector));
  }

  static List<SpreadConstraint> of(PodInfo pod, String whenUnsatisfiable) {
    List<TopologySpreadConstraint> all = pod.pod().getSpec().getTopologySpreadConstraints();
    List<SpreadConstraint> out = new ArrayList<>();
    if (all == null) {
      return out;
    }
    for (TopologySpreadConstraint c : all) {
      if (!whenUnsatisfiable.equals(c.getWhenUnsatisfiable())) {
        continue;
      }
      LabelSelectorMatcher selector = LabelSelectorMatcher.of(c.getLabelSelector());
      if (c.getMatchLabelKeys() != null) {
        for (String key : c.getMatchLabelKeys()) {
          String v = pod.labels().get(key);
          if (v != null) {
            selector = selector.and(key, Set.of(v));
          }
        }
      }
      out.add(
          create(
              c.getMaxSkew(),
              c.getTopologyKey(),
              selector,
              c.getMinDomains() == null ? 1 : c.getMinDomains(),
              !"Ignore".equals(c.getNodeAffinityPolicy()),
              "Honor".equals(c.getNodeTaintsPolicy()),
              pod.namespace()));
    }
    return out;
  }

  /** Whether pods on {@code node} count towards this constraint at all. */
  boolean includes(PodInfo pod, NodeInfo node, RequiredNodeAffinity affinity) {
    if (honorNodeAffinity && !affinity.matches(node)) {
      return false;
    }
    return !honorNodeTaints
        || Tolerations.firstUntolerated(node.taints(), pod.pod().getSpec().getTolerations())
            == null;
  }

  /** Pods on the node, in the pod's namespace and not terminating, that the selector picks. */
  int countMatching(NodeInfo node, String namespace) {
    return node.cachedCount(countKey, n -> countUncached(n, namespace));
  }

  private record CountKey(String namespace, LabelSelectorMatcher selector) {
    @Override
    public int hashCode() {
      return namespace.hashCode() * 31 + selector.hashCode();
    }
  }

  private int countUncached(NodeInfo node, String namespace) {
    int n = 0;
    for (PodInfo p : node.pods()) {
      if (!p.isTerminating() && namespace.equals(p.namespace()) && selector.matches(p.labels())) {
        n++;
      }
    }
    return n;
  }

  static boolean nodeHasAllKeys(NodeInfo node, List<SpreadConstraint> constraints) {
    for (SpreadConstraint c : constraints) {
      if (!node.labels().containsKey(c.topologyKey())) {
        return false;
      }
    }
    return true;
  }
}
