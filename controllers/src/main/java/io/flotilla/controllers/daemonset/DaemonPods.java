package io.flotilla.controllers.daemonset;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.flotilla.controllers.history.Revisions;
import io.flotilla.controllers.runtime.Ownership;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Daemon pods as upstream makes them: the template with the revision hash label, the default daemon
 * tolerations, and required node affinity replaced by {@code matchFields metadata.name In [node]}
 * so that the scheduler binds the pod to its node. Stateless.
 */
final class DaemonPods {
  static final String NODE_FIELD = "metadata.name";

  private DaemonPods() {}

  static Pod newPod(DaemonSet ds, String node, String hash) {
    var tm = ds.getSpec().getTemplate().getMetadata();
    Map<String, String> labels = new HashMap<>();
    if (tm != null && tm.getLabels() != null) {
      labels.putAll(tm.getLabels());
    }
    labels.put(Revisions.HASH_LABEL, hash);
    PodSpec spec = new PodSpecBuilder(ds.getSpec().getTemplate().getSpec()).build();
    List<Toleration> tolerations =
        new ArrayList<>(spec.getTolerations() == null ? List.of() : spec.getTolerations());
    for (Toleration t : NodeEligibility.defaultTolerations(spec)) {
      if (tolerations.stream()
          .noneMatch(
              x ->
                  t.getKey().equals(x.getKey())
                      && t.getEffect().equals(x.getEffect())
                      && "Exists".equals(x.getOperator()))) {
        tolerations.add(t);
      }
    }
    spec.setTolerations(tolerations);
    spec.setAffinity(pinned(spec.getAffinity(), node));
    return new PodBuilder()
        .withNewMetadata()
        .withGenerateName(ds.getMetadata().getName() + "-")
        .withNamespace(ds.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(tm == null ? null : tm.getAnnotations())
        .withOwnerReferences(Ownership.controllerRef(ds, "apps/v1", "DaemonSet"))
        .endMetadata()
        .withSpec(spec)
        .build();
  }

  /** {@code ReplaceDaemonSetPodNodeNameNodeAffinity}: required terms become the node's name. */
  static Affinity pinned(Affinity affinity, String node) {
    NodeSelectorRequirement field =
        new NodeSelectorRequirementBuilder()
            .withKey(NODE_FIELD)
            .withOperator("In")
            .withValues(node)
            .build();
    AffinityBuilder b = affinity == null ? new AffinityBuilder() : new AffinityBuilder(affinity);
    return b.editOrNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm()
        .withMatchFields(field)
        .endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity()
        .build();
  }

  /** The node a daemon pod is for: its bound node, else its pinned matchFields name. */
  static Optional<String> nodeOf(Pod p) {
    if (p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty()) {
      return Optional.of(p.getSpec().getNodeName());
    }
    var a = p.getSpec().getAffinity();
    if (a == null
        || a.getNodeAffinity() == null
        || a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return Optional.empty();
    }
    for (NodeSelectorTerm t :
        a.getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms()) {
      if (t.getMatchFields() == null) {
        continue;
      }
      for (NodeSelectorRequirement r : t.getMatchFields()) {
        if (NODE_FIELD.equals(r.getKey())
            && "In".equals(r.getOperator())
            && r.getValues() != null
            && r.getValues().size() == 1) {
          return Optional.of(r.getValues().getFirst());
        }
      }
    }
    return Optional.empty();
  }

  static String hashOf(Pod p) {
    return p.getMetadata().getLabels() == null
        ? null
        : p.getMetadata().getLabels().get(Revisions.HASH_LABEL);
  }
}
