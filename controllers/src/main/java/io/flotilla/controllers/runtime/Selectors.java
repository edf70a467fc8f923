package io.flotilla.controllers.runtime;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/** Label selector matching as {@code metav1.LabelSelectorAsSelector(...).Matches(labels)}. */
public final class Selectors {
  private Selectors() {}

  /**
   * Whether {@code labels} match {@code selector}. A null selector matches nothing and an empty one
   * matches everything, as upstream.
   */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> l = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (var e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(l.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        if (!matches(r, l)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Whether {@code labels} match an equality-based map selector (ReplicationController). */
  public static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    if (selector == null || selector.isEmpty()) {
      return false;
    }
    Map<String, String> l = labels == null ? Map.of() : labels;
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(l.get(e.getKey())));
  }

  /** Whether {@code selector} selects nothing or everything (both refused by the controllers). */
  public static boolean isEmpty(LabelSelector selector) {
    return selector == null
        || ((selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
            && (selector.getMatchExpressions() == null
                || selector.getMatchExpressions().isEmpty()));
  }

  private static boolean matches(LabelSelectorRequirement r, Map<String, String> l) {
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    String v = l.get(r.getKey());
    return switch (r.getOperator()) {
      case "In" -> v != null && values.contains(v);
      case "NotIn" -> v == null || !values.contains(v);
      case "Exists" -> l.containsKey(r.getKey());
      case "DoesNotExist" -> !l.containsKey(r.getKey());
      default ->
          throw new IllegalArgumentException(
              "label selector operator "
                  + r.getOperator()
                  + " is not one of In, NotIn, Exists, DoesNotExist");
    };
  }
}
