package io.flotilla.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Checks pod specs (of pods and of templates) and the narrow set of changes a pod allows. */
final class PodValidation {
  private PodValidation() {}

  static final List<String> RESTART_POLICIES = List.of("Always", "Never", "OnFailure");
  static final List<String> DNS_POLICIES =
      List.of("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None");
  private static final List<String> TOLERATION_OPERATORS = List.of("Equal", "Exists");
  private static final List<String> TAINT_EFFECTS =
      List.of("NoExecute", "NoSchedule", "PreferNoSchedule");

  static final String UPDATE_FORBIDDEN =
      "pod updates may not change fields other than `spec.containers[*].image`,"
          + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations`"
          + " (only additions to existing tolerations),`spec.terminationGracePeriodSeconds`"
          + " (allow it to be set to 1 if it was previously negative)";

  static void pod(ObjectNode pod, ObjectNode old, Errors errs) {
    ObjectNode spec = Json.object(pod, "spec");
    if (spec == null) {
      errs.required("spec");
      return;
    }
    spec(spec, "spec", errs);
    if (old != null) {
      update(spec, Json.object(old, "spec"), errs);
    }
  }

  /** A pod spec at {@code path} ("spec", "spec.template.spec"…). */
  static void spec(ObjectNode spec, String path, Errors errs) {
    Set<String> volumes = VolumeValidation.validate(Json.objects(spec, "volumes"), path, errs);
    List<ObjectNode> containers = Json.objects(spec, "containers");
    if (containers.isEmpty()) {
      errs.required(path + ".containers");
    }
    boolean hostNetwork = spec.path("hostNetwork").asBoolean(false);
    Set<String> names = new HashSet<>();
    for (String list : List.of("initContainers", "containers", "ephemeralContainers")) {
      List<ObjectNode> cs = Json.objects(spec, list);
      for (int i = 0; i < cs.size(); i++) {
        String cp = path + "." + list + "[" + i + "]";
        String name = Json.textOr(cs.get(i), "name");
        if (name.isEmpty()) {
          errs.required(cp + ".name");
        } else {
          errs.invalidEach(cp + ".name", name, Names.dns1123Label(name));
          if (!names.add(name)) {
            errs.duplicate(cp + ".name", name);
          }
        }
        ContainerValidation.validate(cs.get(i), cp, volumes, hostNetwork, errs);
      }
    }
    enumValue(spec, "restartPolicy", path, RESTART_POLICIES, errs);
    enumValue(spec, "dnsPolicy", path, DNS_POLICIES, errs);
    Long grace = Json.integer(spec, "terminationGracePeriodSeconds");
    if (grace != null && grace < 0) {
      // Upstream tolerates negative values for old clients but stores them as 1; refuse them here.
      errs.invalid(path + ".terminationGracePeriodSeconds", grace, ResourceLists.NEGATIVE);
    }
    Long deadline = Json.integer(spec, "activeDeadlineSeconds");
    if (deadline != null && (deadline < 1 || deadline > Integer.MAX_VALUE)) {
      errs.invalid(
          path + ".activeDeadlineSeconds", deadline, Names.inclusiveRange(1, Integer.MAX_VALUE));
    }
    MetadataValidation.validateLabels(
        Json.entries(spec, "nodeSelector"), path + ".nodeSelector", errs);
    tolerations(Json.objects(spec, "tolerations"), path + ".tolerations", errs);
    if ("None".equals(Json.text(spec, "dnsPolicy"))
        && Json.object(spec, "dnsConfig") != null
        && spec.path("dnsConfig").path("nameservers").isEmpty()) {
      errs.required(
          path + ".dnsConfig.nameservers",
          "must provide at least one DNS nameserver when DNSPolicy is None");
    }
    String serviceAccount = Json.textOr(spec, "serviceAccountName");
    if (!serviceAccount.isEmpty()) {
      errs.invalidEach(
          path + ".serviceAccountName", serviceAccount, Names.dns1123Subdomain(serviceAccount));
    }
    String nodeName = Json.textOr(spec, "nodeName");
    if (!nodeName.isEmpty()) {
      errs.invalidEach(path + ".nodeName", nodeName, Names.dns1123Subdomain(nodeName));
    }
  }

  static void enumValue(
      ObjectNode o, String field, String path, List<String> allowed, Errors errs) {
    String v = Json.text(o, field);
    if (v != null && !allowed.contains(v)) {
      errs.notSupported(path.isEmpty() ? field : path + "." + field, v, allowed);
    }
  }

  private static void tolerations(List<ObjectNode> tolerations, String path, Errors errs) {
    for (int i = 0; i < tolerations.size(); i++) {
      ObjectNode t = tolerations.get(i);
      String tp = path + "[" + i + "]";
      String key = Json.textOr(t, "key");
      if (!key.isEmpty()) {
        errs.invalidEach(tp + ".key", key, Names.qualifiedName(key));
      }
      String op = Json.textOr(t, "operator");
      if (key.isEmpty() && !op.equals("Exists")) {
        errs.invalid(
            tp + ".operator",
            op,
            "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
      }
      if (op.equals("Exists") && !Json.textOr(t, "value").isEmpty()) {
        errs.invalid(tp + ".operator", op, "value must be empty when `operator` is 'Exists'");
      } else if (!op.isEmpty() && !TOLERATION_OPERATORS.contains(op)) {
        errs.notSupported(tp + ".operator", op, TOLERATION_OPERATORS);
      }
      String effect = Json.textOr(t, "effect");
      if (!effect.isEmpty() && !TAINT_EFFECTS.contains(effect)) {
        errs.notSupported(tp + ".effect", effect, TAINT_EFFECTS);
      }
      if (!Json.absent(t, "tolerationSeconds") && !effect.equals("NoExecute")) {
        errs.invalid(
            tp + ".effect", effect, "effect must be 'NoExecute' when `tolerationSeconds` is set");
      }
    }
  }

  /**
   * Upstream lets a running pod change only its images, its active deadline, its tolerations (by
   * addition) and a negative grace period. The old spec with those fields taken from the new one
   * must equal the new spec.
   */
  private static void update(ObjectNode spec, ObjectNode oldSpec, Errors errs) {
    if (oldSpec == null) {
      return;
    }
    ObjectNode merged = oldSpec.deepCopy();
    for (String list : List.of("containers", "initContainers")) {
      copyImages(spec.get(list), merged.get(list));
    }
    // The deadline may be set, or shortened, never lifted or lengthened.
    Long deadline = Json.integer(spec, "activeDeadlineSeconds");
    Long oldDeadline = Json.integer(oldSpec, "activeDeadlineSeconds");
    if (deadline != null && (oldDeadline == null || deadline <= oldDeadline)) {
      copyField(spec, merged, "activeDeadlineSeconds");
    }
    List<ObjectNode> oldTolerations = Json.objects(oldSpec, "tolerations");
    List<ObjectNode> newTolerations = Json.objects(spec, "tolerations");
    if (newTolerations.containsAll(oldTolerations)) {
      copyField(spec, merged, "tolerations");
    }
    // Scheduling gates may only be removed; the scheduler binds through its own subresource.
    List<ObjectNode> gates = Json.objects(spec, "schedulingGates");
    if (Json.objects(oldSpec, "schedulingGates").containsAll(gates)) {
      copyField(spec, merged, "schedulingGates");
    }
    if (!merged.equals(spec)) {
      errs.forbidden("spec", UPDATE_FORBIDDEN + changed(spec, merged));
    }
  }

  private static void copyImages(JsonNode from, JsonNode to) {
    if (from instanceof ArrayNode a && to instanceof ArrayNode b && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i) instanceof ObjectNode n && b.get(i) instanceof ObjectNode o) {
          copyField(n, o, "image");
        }
      }
    }
  }

  private static void copyField(ObjectNode from, ObjectNode to, String field) {
    if (from.has(field)) {
      to.set(field, from.get(field).deepCopy());
    } else {
      to.remove(field);
    }
  }

  /** The top-level spec fields that differ, to tell the user what the update touched. */
  private static String changed(ObjectNode spec, ObjectNode merged) {
    Set<String> fields = new java.util.TreeSet<>();
    Iterator<String> a = spec.fieldNames();
    a.forEachRemaining(fields::add);
    merged.fieldNames().forEachRemaining(fields::add);
    List<String> diff = new ArrayList<>();
    for (String f : fields) {
      if (!java.util.Objects.equals(spec.get(f), merged.get(f))) {
        diff.add("spec." + f);
      }
    }
    return "\n  changed: " + String.join(", ", diff);
  }
}
