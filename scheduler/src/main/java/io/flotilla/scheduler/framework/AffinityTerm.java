package io.flotilla.scheduler.framework;

import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import java.util.Set;

/**
 * A compiled pod (anti-)affinity term. With neither namespaces nor a namespaceSelector the term
 * means the owning pod's own namespace; an empty namespaceSelector means every namespace.
 */
public record AffinityTerm(
    Set<String> namespaces,
    LabelSelectorMatcher namespaceSelector,
    LabelSelectorMatcher selector,
    String topologyKey) {

  public static AffinityTerm of(PodAffinityTerm term, String ownNamespace) {
    Set<String> namespaces =
        term.getNamespaces() == null ? Set.of() : Set.copyOf(term.getNamespaces());
    LabelSelectorMatcher nsSelector =
        term.getNamespaceSelector() == null
            ? null
            : LabelSelectorMatcher.of(term.getNamespaceSelector());
    if (namespaces.isEmpty() && nsSelector == null) {
      namespaces = Set.of(ownNamespace);
    }
    return new AffinityTerm(
        namespaces,
        nsSelector,
        LabelSelectorMatcher.of(term.getLabelSelector()),
        term.getTopologyKey());
  }

  /** Whether {@code pod} is one of the pods this term selects. */
  public boolean matches(PodInfo pod, NamespaceLabels nsLabels) {
    boolean inNamespace =
        namespaces.contains(pod.namespace())
            || (namespaceSelector != null
                && namespaceSelector.matches(nsLabels.labels(pod.namespace())));
    return inNamespace && selector.matches(pod.labels());
  }
}
