package io.flotilla.controllers.daemonset;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether a DaemonSet's pod belongs on a node, as upstream's {@code NodeShouldRunDaemonPod}: the
 * template's nodeName, nodeSelector and required node affinity must match the node, and its
 * NoSchedule/NoExecute taints must be tolerated by the template's tolerations plus the ones
 * upstream adds to every daemon pod. A pod already there may keep running while only NoExecute
 * taints are tolerated. Stateless.
 */
final class NodeEligibility {
  private NodeEligibility() {}

  /** Whether a new pod should run there, and whether an existing one may continue to. */
  record Decision(boolean shouldRun, boolean shouldContinueRunning) {}

  /** The tolerations upstream's {@code AddOrUpdateDaemonPodTolerations} adds. */
  static List<Toleration> defaultTolerations(PodSpec spec) {
    List<Toleration> out = new ArrayList<>();
    out.add(tol("node.kubernetes.io/not-ready", "NoExecute"));
    out.add(tol("node.kubernetes.io/unreachable", "NoExecute"));
    out.add(tol("node.kubernetes.io/disk-pressure", "NoSchedule"));
    out.add(tol("node.kubernetes.io/memory-pressure", "NoSchedule"));
    out.add(tol("node.kubernetes.io/pid-pressure", "NoSchedule"));
    out.add(tol("node.kubernetes.io/unschedulable", "NoSchedule"));
    if (Boolean.TRUE.equals(spec.getHostNetwork())) {
      out.add(tol("node.kubernetes.io/network-unavailable", "NoSchedule"));
    }
    return out;
  }

  private static Toleration tol(String key, String effect) {
    return new TolerationBuilder().withKey(key).withOperator("Exists").withEffect(effect).build();
  }

  static Decision decide(PodSpec spec, Node node) {
    String name = node.getMetadata().getName();
    if (spec.getNodeName() != null
        && !spec.getNodeName().isEmpty()
        && !spec.getNodeName().equals(name)) {
      return new Decision(false, false);
    }
    Map<String, String> labels =
        node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    if (spec.getNodeSelector() != null) {
      for (var e : spec.getNodeSelector().entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return new Decision(false, false);
        }
      }
    }
    if (spec.getAffinity() != null
        && spec.getAffinity().getNodeAffinity() != null
        && spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
            != null
        && !matches(
            spec.getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution(),
            node)) {
      return new Decision(false, false);
    }
    List<Toleration> tolerations =
        new ArrayList<>(spec.getTolerations() == null ? List.of() : spec.getTolerations());
    tolerations.addAll(defaultTolerations(spec));
    boolean run = true;
    boolean keep = true;
    for (Taint t :
        node.getSpec() == null || node.getSpec().getTaints() == null
            ? List.<Taint>of()
            : node.getSpec().getTaints()) {
      if ("PreferNoSchedule".equals(t.getEffect())) {
        continue;
      }
      if (tolerations.stream().noneMatch(tol -> tolerates(tol, t))) {
        run = false;
        if ("NoExecute".equals(t.getEffect())) {
          keep = false;
        }
      }
    }
    return new Decision(run, keep);
  }

  /** Whether {@code term}s of a required node selector match the node (terms are ORed). */
  static boolean matches(NodeSelector selector, Node node) {
    List<NodeSelectorTerm> terms = selector.getNodeSelectorTerms();
    if (terms == null || terms.isEmpty()) {
      return false;
    }
    for (NodeSelectorTerm term : terms) {
      boolean empty =
          (term.getMatchExpressions() == null || term.getMatchExpressions().isEmpty())
              && (term.getMatchFields() == null || term.getMatchFields().isEmpty());
      if (empty) {
        continue;
      }
      Map<String, String> labels =
          node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
      boolean ok = true;
      for (NodeSelectorRequirement r :
          term.getMatchExpressions() == null
              ? List.<NodeSelectorRequirement>of()
              : term.getMatchExpressions()) {
        ok &= requirement(r, labels);
      }
      for (NodeSelectorRequirement r :
          term.getMatchFields() == null
              ? List.<NodeSelectorRequirement>of()
              : term.getMatchFields()) {
        ok &=
            "metadata.name".equals(r.getKey())
                && requirement(r, Map.of("metadata.name", node.getMetadata().getName()));
      }
      if (ok) {
        return true;
      }
    }
    return false;
  }

  private static boolean requirement(NodeSelectorRequirement r, Map<String, String> labels) {
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    String v = labels.get(r.getKey());
    return switch (r.getOperator()) {
      case "In" -> v != null && values.contains(v);
      case "NotIn" -> v == null || !values.contains(v);
      case "Exists" -> v != null;
      case "DoesNotExist" -> v == null;
      case "Gt", "Lt" -> {
        try {
          long have = Long.parseLong(v);
          long want = Long.parseLong(values.getFirst());
          yield "Gt".equals(r.getOperator()) ? have > want : have < want;
        } catch (RuntimeException e) {
          yield false;
        }
      }
      default -> false;
    };
  }

  /** {@code v1helper.TolerationsTolerateTaint} for one toleration. */
  static boolean tolerates(Toleration tol, Taint t) {
    if (tol.getEffect() != null
        && !tol.getEffect().isEmpty()
        && !tol.getEffect().equals(t.getEffect())) {
      return false;
    }
    if (tol.getKey() != null && !tol.getKey().isEmpty() && !tol.getKey().equals(t.getKey())) {
      return false;
    }
    if ((tol.getKey() == null || tol.getKey().isEmpty()) && !"Exists".equals(tol.getOperator())) {
      return false;
    }
    if ("Exists".equals(tol.getOperator())) {
      return true;
    }
    return Objects.equals(
        Objects.requireNonNullElse(tol.getValue(), ""),
        Objects.requireNonNullElse(t.getValue(), ""));
  }
}
