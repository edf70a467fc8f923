package io.flotilla.scheduler.framework;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A label selector compiled once per pod so that matching against thousands of pods and nodes does
 * no parsing. A null selector matches nothing; an empty one matches everything, as in Kubernetes.
 */
public final class LabelSelectorMatcher {

  /** One requirement; {@code values} is empty for Exists/DoesNotExist. */
  public record Requirement(String key, String operator, Set<String> values) {
    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (operator) {
        case "In" -> v != null && values.contains(v);
        case "NotIn" -> v == null || !values.contains(v);
        case "Exists" -> v != null;
        case "DoesNotExist" -> v == null;
        default -> false;
      };
    }
  }

  public static final LabelSelectorMatcher NOTHING = new LabelSelectorMatcher(List.of(), false);
  public static final LabelSelectorMatcher EVERYTHING = new LabelSelectorMatcher(List.of(), true);

  private final Requirement[] requirements;
  private final boolean matchesAnything;
  private final int hash;

  private LabelSelectorMatcher(List<Requirement> requirements, boolean matchesAnything) {
    this.requirements = requirements.toArray(new Requirement[0]);
    this.matchesAnything = matchesAnything;
    this.hash = Arrays.hashCode(this.requirements) * 31 + (matchesAnything ? 1 : 0);
  }

  public static LabelSelectorMatcher of(LabelSelector selector) {
    if (selector == null) {
      return NOTHING;
    }
    List<Requirement> reqs = new ArrayList<>();
    if (selector.getMatchLabels() != null) {
      selector.getMatchLabels().forEach((k, v) -> reqs.add(new Requirement(k, "In", Set.of(v))));
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        Set<String> values = r.getValues() == null ? Set.of() : Set.copyOf(r.getValues());
        reqs.add(new Requirement(r.getKey(), r.getOperator(), values));
      }
    }
    return reqs.isEmpty() ? EVERYTHING : new LabelSelectorMatcher(reqs, true);
  }

  /** This selector plus {@code key in (values)}: how matchLabelKeys narrow a constraint. */
  public LabelSelectorMatcher and(String key, Set<String> values) {
    if (!matchesAnything) {
      return this;
    }
    List<Requirement> reqs = new ArrayList<>(List.of(requirements));
    reqs.add(new Requirement(key, "In", values));
    return new LabelSelectorMatcher(reqs, true);
  }

  public boolean isNothing() {
    return !matchesAnything;
  }

  /** Equal selectors match the same pods; used to share per-node match counts across pods. */
  @Override
  public boolean equals(Object o) {
    return o == this
        || o instanceof LabelSelectorMatcher m
            && hash == m.hash
            && matchesAnything == m.matchesAnything
            && Arrays.equals(requirements, m.requirements);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  public boolean matches(Map<String, String> labels) {
    if (!matchesAnything) {
      return false;
    }
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }
}
