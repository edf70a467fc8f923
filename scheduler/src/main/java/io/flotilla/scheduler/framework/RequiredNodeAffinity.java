package io.flotilla.scheduler.framework;

import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod's hard node constraints, compiled: its nodeSelector AND any one of its required node
 * affinity terms. Used by NodeAffinity and by PodTopologySpread's nodeAffinityPolicy.
 */
public final class RequiredNodeAffinity {
  private final Map<String, String> nodeSelector;
  private final List<NodeSelectorTerm> terms;

  private RequiredNodeAffinity(Map<String, String> nodeSelector, List<NodeSelectorTerm> terms) {
    this.nodeSelector = nodeSelector;
    this.terms = terms;
  }

  public static RequiredNodeAffinity of(Pod pod) {
    Map<String, String> sel = pod.getSpec().getNodeSelector();
    NodeAffinity na =
        pod.getSpec().getAffinity() == null ? null : pod.getSpec().getAffinity().getNodeAffinity();
    NodeSelector required =
        na == null ? null : na.getRequiredDuringSchedulingIgnoredDuringExecution();
    List<NodeSelectorTerm> terms =
        required == null
            ? null
            : new ArrayList<>(
                required.getNodeSelectorTerms() == null
                    ? List.of()
                    : required.getNodeSelectorTerms());
    return new RequiredNodeAffinity(sel == null ? Map.of() : sel, terms);
  }

  /** Whether the pod constrains nodes at all. */
  public boolean isEmpty() {
    return nodeSelector.isEmpty() && terms == null;
  }

  public boolean matches(NodeInfo node) {
    Map<String, String> labels = node.labels();
    for (Map.Entry<String, String> e : nodeSelector.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    if (terms == null) {
      return true;
    }
    for (NodeSelectorTerm t : terms) {
      if (termMatches(t, node)) {
        return true;
      }
    }
    return false;
  }

  /** A term with no requirements matches no node, as in Kubernetes. */
  public static boolean termMatches(NodeSelectorTerm term, NodeInfo node) {
    List<NodeSelectorRequirement> exprs = term.getMatchExpressions();
    List<NodeSelectorRequirement> fields = term.getMatchFields();
    boolean noExprs = exprs == null || exprs.isEmpty();
    boolean noFields = fields == null || fields.isEmpty();
    if (noExprs && noFields) {
      return false;
    }
    if (!noExprs) {
      for (NodeSelectorRequirement r : exprs) {
        if (!requirementMatches(r, node.labels().get(r.getKey()))) {
          return false;
        }
      }
    }
    if (!noFields) {
      for (NodeSelectorRequirement r : fields) {
        if (!"metadata.name".equals(r.getKey()) || !requirementMatches(r, node.name())) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean requirementMatches(NodeSelectorRequirement r, String value) {
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (r.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      case "Gt", "Lt" -> compare(r.getOperator(), value, values);
      default -> false;
    };
  }

  private static boolean compare(String op, String value, List<String> values) {
    if (value == null || values.size() != 1) {
      return false;
    }
    try {
      long have = Long.parseLong(value);
      long want = Long.parseLong(values.get(0));
      return "Gt".equals(op) ? have > want : have < want;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
