package io.flotilla.controllers.statefulset;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.flotilla.controllers.history.Revisions;
import io.flotilla.controllers.runtime.Ownership;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * StatefulSet pods and claims as upstream's {@code stateful_set_utils}: pod {@code <set>-<ordinal>}
 * with hostname and subdomain, the {@code statefulset.kubernetes.io/pod-name} and {@code
 * apps.kubernetes.io/pod-index} labels and the revision hash; one claim {@code
 * <template>-<set>-<ordinal>} per volumeClaimTemplate, mounted under the template's name.
 * Stateless.
 */
final class StatefulPods {
  static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
  static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

  private StatefulPods() {}

  static String podName(StatefulSet set, int ordinal) {
    return set.getMetadata().getName() + "-" + ordinal;
  }

  static String claimName(String template, StatefulSet set, int ordinal) {
    return template + "-" + podName(set, ordinal);
  }

  /** The ordinal in a pod's name if it is one of {@code set}'s, else -1. */
  static int ordinal(StatefulSet set, Pod p) {
    String prefix = set.getMetadata().getName() + "-";
    String n = p.getMetadata().getName();
    if (!n.startsWith(prefix)) {
      return -1;
    }
    String rest = n.substring(prefix.length());
    if (!rest.matches("0|[1-9][0-9]{0,8}")) {
      return -1;
    }
    return Integer.parseInt(rest);
  }

  /** The template a revision recorded ({@code data.spec.template}). */
  @SuppressWarnings("unchecked")
  static PodTemplateSpec template(ControllerRevision rev) {
    Map<String, Object> data = Serialization.jsonMapper().convertValue(rev.getData(), Map.class);
    Map<String, Object> spec = (Map<String, Object>) data.get("spec");
    Map<String, Object> t = new HashMap<>((Map<String, Object>) spec.get("template"));
    t.remove("$patch");
    return Serialization.jsonMapper().convertValue(t, PodTemplateSpec.class);
  }

  static Pod newPod(StatefulSet set, PodTemplateSpec template, int ordinal, String revision) {
    String name = podName(set, ordinal);
    Map<String, String> labels = new HashMap<>();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    labels.put(POD_NAME_LABEL, name);
    labels.put(POD_INDEX_LABEL, Integer.toString(ordinal));
    labels.put(Revisions.HASH_LABEL, revision);
    PodSpec spec = new PodSpecBuilder(template.getSpec()).build();
    spec.setHostname(name);
    spec.setSubdomain(set.getSpec().getServiceName());
    if (set.getSpec().getVolumeClaimTemplates() != null
        && !set.getSpec().getVolumeClaimTemplates().isEmpty()) {
      List<Volume> volumes = new ArrayList<>();
      for (PersistentVolumeClaim c : set.getSpec().getVolumeClaimTemplates()) {
        volumes.add(
            new VolumeBuilder()
                .withName(c.getMetadata().getName())
                .withNewPersistentVolumeClaim()
                .withClaimName(claimName(c.getMetadata().getName(), set, ordinal))
                .endPersistentVolumeClaim()
                .build());
      }
      for (Volume v : spec.getVolumes() == null ? List.<Volume>of() : spec.getVolumes()) {
        if (volumes.stream().noneMatch(x -> x.getName().equals(v.getName()))) {
          volumes.add(v);
        }
      }
      spec.setVolumes(volumes);
    }
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(set.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(
            template.getMetadata() == null ? null : template.getMetadata().getAnnotations())
        .withOwnerReferences(Ownership.controllerRef(set, "apps/v1", "StatefulSet"))
        .endMetadata()
        .withSpec(spec)
        .build();
  }

  /** The claims a pod needs, labelled with the set's selector labels, without owners yet. */
  static List<PersistentVolumeClaim> claims(StatefulSet set, int ordinal) {
    List<PersistentVolumeClaim> out = new ArrayList<>();
    if (set.getSpec().getVolumeClaimTemplates() == null) {
      return out;
    }
    for (PersistentVolumeClaim t : set.getSpec().getVolumeClaimTemplates()) {
      Map<String, String> labels = new HashMap<>();
      if (t.getMetadata().getLabels() != null) {
        labels.putAll(t.getMetadata().getLabels());
      }
      if (set.getSpec().getSelector() != null
          && set.getSpec().getSelector().getMatchLabels() != null) {
        labels.putAll(set.getSpec().getSelector().getMatchLabels());
      }
      out.add(
          new PersistentVolumeClaimBuilder()
              .withNewMetadata()
              .withName(claimName(t.getMetadata().getName(), set, ordinal))
              .withNamespace(set.getMetadata().getNamespace())
              .withLabels(labels)
              .withAnnotations(t.getMetadata().getAnnotations())
              .endMetadata()
              .withSpec(t.getSpec())
              .build());
    }
    return out;
  }

  static OwnerReference ref(String apiVersion, String kind, String name, String uid) {
    return new OwnerReferenceBuilder()
        .withApiVersion(apiVersion)
        .withKind(kind)
        .withName(name)
        .withUid(uid)
        .build();
  }

  static String revisionOf(Pod p) {
    return p.getMetadata().getLabels() == null
        ? null
        : p.getMetadata().getLabels().get(Revisions.HASH_LABEL);
  }
}
