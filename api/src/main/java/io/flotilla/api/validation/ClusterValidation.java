package io.flotilla.api.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks the cluster-level and storage kinds: Namespace, Node, Lease, RBAC, PriorityClass,
 * StorageClass, PersistentVolume(Claim); hands the networking and policy kinds on.
 */
final class ClusterValidation {
  private ClusterValidation() {}

  private static final List<String> ACCESS_MODES =
      List.of("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod");
  private static final List<String> VOLUME_MODES = List.of("Block", "Filesystem");
  private static final List<String> RECLAIM = List.of("Delete", "Recycle", "Retain");
  private static final List<String> BINDING_MODES = List.of("Immediate", "WaitForFirstConsumer");
  private static final List<String> PREEMPTION = List.of("Never", "PreemptLowerPriority");
  private static final List<String> SUBJECT_KINDS = List.of("Group", "ServiceAccount", "User");

  /** Priorities of user classes stop at one billion; larger ones are reserved for the system. */
  static final long HIGHEST_USER_PRIORITY = 1_000_000_000L;

  static void validate(String kind, ObjectNode object, ObjectNode old, Errors errs) {
    switch (kind) {
      case "Namespace" -> namespace(object);
      case "Node" -> node(object, errs);
      case "Lease" -> lease(object, errs);
      case "Role", "ClusterRole" -> rules(kind, object, errs);
      case "RoleBinding", "ClusterRoleBinding" -> binding(kind, object, old, errs);
      case "PriorityClass" -> priorityClass(object, old, errs);
      case "StorageClass" -> storageClass(object, old, errs);
      case "PersistentVolume" -> persistentVolume(object, errs);
      case "PersistentVolumeClaim" -> pvc(object, old, errs);
      default -> NetworkValidation.validate(kind, object, old, errs);
    }
  }

  private static void namespace(ObjectNode ns) {
    // The name (a DNS label, NameRule.DNS_LABEL) is all upstream checks; finalizers are free-form.
  }

  private static void node(ObjectNode node, Errors errs) {
    ObjectNode spec = Json.object(node, "spec");
    List<ObjectNode> taints = Json.objects(spec, "taints");
    for (int i = 0; i < taints.size(); i++) {
      ObjectNode t = taints.get(i);
      String p = "spec.taints[" + i + "]";
      String key = Json.textOr(t, "key");
      if (key.isEmpty()) {
        errs.required(p + ".key");
      } else {
        errs.invalidEach(p + ".key", key, Names.qualifiedName(key));
      }
      String value = Json.textOr(t, "value");
      errs.invalidEach(p + ".value", value, Names.labelValue(value));
      String effect = Json.textOr(t, "effect");
      List<String> effects = List.of("NoExecute", "NoSchedule", "PreferNoSchedule");
      if (effect.isEmpty()) {
        errs.required(p + ".effect");
      } else if (!effects.contains(effect)) {
        errs.notSupported(p + ".effect", effect, effects);
      }
    }
    ObjectNode status = Json.object(node, "status");
    ResourceLists.validate(Json.object(status, "capacity"), "status.capacity", errs);
    ResourceLists.validate(Json.object(status, "allocatable"), "status.allocatable", errs);
    String podCidr = Json.textOr(spec, "podCIDR");
    if (!podCidr.isEmpty() && !IpAddresses.isCidr(podCidr)) {
      errs.invalid(
          "spec.podCIDR",
          podCidr,
          "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
    }
  }

  private static void lease(ObjectNode lease, Errors errs) {
    ObjectNode spec = Json.object(lease, "spec");
    Long duration = Json.integer(spec, "leaseDurationSeconds");
    if (duration != null && duration <= 0) {
      errs.invalid("spec.leaseDurationSeconds", duration, "must be greater than 0");
    }
    ContainerValidation.nonNegative(spec, "leaseTransitions", "spec", errs);
  }

  /** Every rule names verbs; non-resource URLs only in cluster roles and never with resources. */
  private static void rules(String kind, ObjectNode role, Errors errs) {
    List<ObjectNode> rules = Json.objects(role, "rules");
    for (int i = 0; i < rules.size(); i++) {
      ObjectNode r = rules.get(i);
      String p = "rules[" + i + "]";
      if (r.path("verbs").isEmpty()) {
        errs.required(p + ".verbs", "verbs must contain at least one value");
      }
      boolean urls = !r.path("nonResourceURLs").isEmpty();
      if (urls) {
        if (kind.equals("Role")) {
          errs.invalid(
              p + ".nonResourceURLs",
              r.get("nonResourceURLs").toString(),
              "namespaced rules cannot apply to non-resource URLs");
        }
        if (!r.path("apiGroups").isEmpty() || !r.path("resources").isEmpty()) {
          errs.invalid(
              p + ".nonResourceURLs",
              r.get("nonResourceURLs").toString(),
              "rules cannot apply to both regular resources and non-resource URLs");
        }
      } else {
        if (r.path("apiGroups").isEmpty()) {
          errs.required(p + ".apiGroups", "resource rules must supply at least one api group");
        }
        if (r.path("resources").isEmpty()) {
          errs.required(p + ".resources", "resource rules must supply at least one resource");
        }
      }
    }
  }

  private static void binding(String kind, ObjectNode binding, ObjectNode old, Errors errs) {
    ObjectNode ref = Json.object(binding, "roleRef");
    String refKind = Json.textOr(ref, "kind");
    boolean namespaced = kind.equals("RoleBinding");
    List<String> kinds = namespaced ? List.of("ClusterRole", "Role") : List.of("ClusterRole");
    if (!Json.textOr(ref, "apiGroup").equals("rbac.authorization.k8s.io")) {
      errs.notSupported(
          "roleRef.apiGroup", Json.textOr(ref, "apiGroup"), List.of("rbac.authorization.k8s.io"));
    }
    if (!kinds.contains(refKind)) {
      errs.notSupported("roleRef.kind", refKind, kinds);
    }
    String refName = Json.textOr(ref, "name");
    if (refName.isEmpty()) {
      errs.required("roleRef.name");
    } else {
      errs.invalidEach("roleRef.name", refName, Names.pathSegmentName(refName));
    }
    List<ObjectNode> subjects = Json.objects(binding, "subjects");
    for (int i = 0; i < subjects.size(); i++) {
      ObjectNode s = subjects.get(i);
      String p = "subjects[" + i + "]";
      String subjectKind = Json.textOr(s, "kind");
      if (!SUBJECT_KINDS.contains(subjectKind)) {
        errs.notSupported(p + ".kind", subjectKind, SUBJECT_KINDS);
      }
      String name = Json.textOr(s, "name");
      if (name.isEmpty()) {
        errs.required(p + ".name");
      } else if (subjectKind.equals("ServiceAccount")) {
        errs.invalidEach(p + ".name", name, Names.dns1123Subdomain(name));
      }
      if (subjectKind.equals("ServiceAccount")
          && !namespaced
          && Json.textOr(s, "namespace").isEmpty()) {
        errs.required(p + ".namespace");
      }
    }
    if (old != null && !Objects.equals(binding.get("roleRef"), old.get("roleRef"))) {
      errs.invalid("roleRef", String.valueOf(binding.get("roleRef")), "cannot change roleRef");
    }
  }

  private static void priorityClass(ObjectNode pc, ObjectNode old, Errors errs) {
    String name = Json.textOr(Json.object(pc, "metadata"), "name");
    Long value = Json.integer(pc, "value");
    if (value == null) {
      errs.required("value");
    } else if (value > HIGHEST_USER_PRIORITY && !name.startsWith("system-")) {
      errs.forbidden(
          "value", "maximum allowed value of a user defined priority is " + HIGHEST_USER_PRIORITY);
    } else if (value < Integer.MIN_VALUE || value > 2_000_001_000L) {
      errs.invalid("value", value, Names.inclusiveRange(Integer.MIN_VALUE, 2_000_001_000L));
    }
    PodValidation.enumValue(pc, "preemptionPolicy", "", PREEMPTION, errs);
    if (old != null) {
      if (!Objects.equals(pc.get("value"), old.get("value"))) {
        errs.forbidden("value", "may not be changed in an update.");
      }
      if (!Objects.equals(pc.get("preemptionPolicy"), old.get("preemptionPolicy"))) {
        errs.invalid("preemptionPolicy", Json.textOr(pc, "preemptionPolicy"), "field is immutable");
      }
    }
  }

  private static void storageClass(ObjectNode sc, ObjectNode old, Errors errs) {
    String provisioner = Json.textOr(sc, "provisioner");
    if (provisioner.isEmpty()) {
      errs.required("provisioner");
    } else {
      errs.invalidEach(
          "provisioner",
          provisioner,
          Names.qualifiedName(provisioner.toLowerCase(java.util.Locale.ROOT)));
    }
    PodValidation.enumValue(sc, "reclaimPolicy", "", List.of("Delete", "Retain"), errs);
    PodValidation.enumValue(sc, "volumeBindingMode", "", BINDING_MODES, errs);
    if (old != null) {
      for (String f : List.of("parameters", "provisioner", "reclaimPolicy", "volumeBindingMode")) {
        if (!Objects.equals(sc.get(f), old.get(f))) {
          errs.forbidden(f, "updates to " + f + " are forbidden.");
        }
      }
    }
  }

  private static void persistentVolume(ObjectNode pv, Errors errs) {
    ObjectNode spec = Json.object(pv, "spec");
    if (spec == null) {
      errs.required("spec");
      return;
    }
    accessModes(spec, "spec", errs);
    ObjectNode capacity = Json.object(spec, "capacity");
    Map<String, Quantity> parsed = ResourceLists.validate(capacity, "spec.capacity", errs);
    if (!parsed.containsKey("storage")) {
      errs.required("spec.capacity");
    }
    PodValidation.enumValue(spec, "persistentVolumeReclaimPolicy", "spec", RECLAIM, errs);
    PodValidation.enumValue(spec, "volumeMode", "spec", VOLUME_MODES, errs);
  }

  private static void pvc(ObjectNode pvc, ObjectNode old, Errors errs) {
    ObjectNode spec = Json.object(pvc, "spec");
    if (spec == null) {
      errs.required("spec");
      return;
    }
    pvcSpec(spec, "spec", errs);
    if (old != null) {
      ObjectNode a = spec.deepCopy();
      ObjectNode b =
          Json.object(old, "spec") == null
              ? Json.F.objectNode()
              : Json.object(old, "spec").deepCopy();
      // Requests may grow (expansion); the volume name is set once, when bound.
      for (String f : List.of("resources", "volumeName", "volumeAttributesClassName")) {
        a.remove(f);
        b.remove(f);
      }
      if (!a.equals(b)) {
        errs.forbidden(
            "spec",
            "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims");
      }
    }
  }

  static void pvcSpec(ObjectNode spec, String path, Errors errs) {
    accessModes(spec, path, errs);
    ObjectNode resources = Json.object(spec, "resources");
    Map<String, Quantity> requests =
        ResourceLists.validate(
            Json.object(resources, "requests"), path + ".resources.requests", errs);
    Quantity storage = requests.get("storage");
    if (storage == null) {
      errs.required(path + ".resources.requests[storage]");
    } else if (storage.isZero()) {
      errs.invalid(
          path + ".resources.requests[storage]", storage.toString(), "must be greater than zero");
    }
    ResourceLists.validate(Json.object(resources, "limits"), path + ".resources.limits", errs);
    PodValidation.enumValue(spec, "volumeMode", path, VOLUME_MODES, errs);
    Selectors.validate(Json.object(spec, "selector"), path + ".selector", errs);
  }

  private static void accessModes(ObjectNode spec, String path, Errors errs) {
    List<String> modes = Json.strings(spec, "accessModes");
    if (modes.isEmpty()) {
      errs.required(path + ".accessModes");
    }
    for (String m : modes) {
      if (!ACCESS_MODES.contains(m)) {
        errs.notSupported(path + ".accessModes", m, ACCESS_MODES);
      }
    }
    if (modes.contains("ReadWriteOncePod") && modes.size() > 1) {
      errs.forbidden(path + ".accessModes", "may not use ReadWriteOncePod with other access modes");
    }
  }
}
