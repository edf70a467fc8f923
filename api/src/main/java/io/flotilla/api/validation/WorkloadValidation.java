package io.flotilla.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/** Checks the apps kinds (Deployment, ReplicaSet, StatefulSet, DaemonSet) and RCs. */
final class WorkloadValidation {
  private WorkloadValidation() {}

  static final String SELECTOR_MISMATCH = "`selector` does not match template `labels`";
  private static final List<String> DEPLOYMENT_STRATEGIES = List.of("Recreate", "RollingUpdate");
  private static final List<String> SET_STRATEGIES = List.of("OnDelete", "RollingUpdate");
  private static final List<String> POD_MANAGEMENT = List.of("OrderedReady", "Parallel");
  private static final String PERCENT_MSG =
      Names.regexError(
          "a valid percent string must be a numeric string followed by an ending '%'",
          "[0-9]+%", "1%", "93%");
  private static final List<String> RETENTION = List.of("Delete", "Retain");

  static void deployment(ObjectNode object, ObjectNode old, Errors errs) {
    ObjectNode spec = spec(object, errs);
    if (spec == null) {
      return;
    }
    selectorAndTemplate(spec, "deployment", List.of("Always"), errs);
    replicas(spec, errs);
    for (String f : List.of("minReadySeconds", "revisionHistoryLimit")) {
      ContainerValidation.nonNegative(spec, f, "spec", errs);
    }
    Long deadline = Json.integer(spec, "progressDeadlineSeconds");
    if (deadline != null) {
      ContainerValidation.nonNegative(spec, "progressDeadlineSeconds", "spec", errs);
      if (deadline <= spec.path("minReadySeconds").asLong(0)) {
        errs.invalid(
            "spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds");
      }
    }
    ObjectNode strategy = Json.object(spec, "strategy");
    String type = Json.textOr(strategy, "type");
    if (strategy != null && !DEPLOYMENT_STRATEGIES.contains(type)) {
      errs.notSupported("spec.strategy.type", type, DEPLOYMENT_STRATEGIES);
    }
    ObjectNode rolling = Json.object(strategy, "rollingUpdate");
    if (type.equals("Recreate") && rolling != null) {
      errs.forbidden(
          "spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'");
    } else if (rolling != null) {
      rollingUpdate(rolling, "spec.strategy.rollingUpdate", errs);
    }
    if (old != null) {
      immutableSelector(spec, Json.object(old, "spec"), errs);
    }
  }

  static void replicaSet(ObjectNode object, ObjectNode old, Errors errs) {
    ObjectNode spec = spec(object, errs);
    if (spec == null) {
      return;
    }
    selectorAndTemplate(spec, "replicaset", List.of("Always"), errs);
    replicas(spec, errs);
    ContainerValidation.nonNegative(spec, "minReadySeconds", "spec", errs);
    if (old != null) {
      immutableSelector(spec, Json.object(old, "spec"), errs);
    }
  }

  static void daemonSet(ObjectNode object, ObjectNode old, Errors errs) {
    ObjectNode spec = spec(object, errs);
    if (spec == null) {
      return;
    }
    selectorAndTemplate(spec, "daemonset", List.of("Always"), errs);
    ContainerValidation.nonNegative(spec, "minReadySeconds", "spec", errs);
    ContainerValidation.nonNegative(spec, "revisionHistoryLimit", "spec", errs);
    ObjectNode strategy = Json.object(spec, "updateStrategy");
    String type = Json.textOr(strategy, "type");
    if (strategy != null && !SET_STRATEGIES.contains(type)) {
      errs.notSupported("spec.updateStrategy.type", type, SET_STRATEGIES);
    }
    ObjectNode rolling = Json.object(strategy, "rollingUpdate");
    if (rolling != null && type.equals("RollingUpdate")) {
      rollingUpdate(rolling, "spec.updateStrategy.rollingUpdate", errs);
    }
    if (old != null) {
      immutableSelector(spec, Json.object(old, "spec"), errs);
    }
  }

  static void statefulSet(ObjectNode object, ObjectNode old, Errors errs) {
    ObjectNode spec = spec(object, errs);
    if (spec == null) {
      return;
    }
    selectorAndTemplate(withClaimVolumes(spec), "statefulset", List.of("Always"), errs);
    replicas(spec, errs);
    ContainerValidation.nonNegative(spec, "minReadySeconds", "spec", errs);
    ContainerValidation.nonNegative(spec, "revisionHistoryLimit", "spec", errs);
    PodValidation.enumValue(spec, "podManagementPolicy", "spec", POD_MANAGEMENT, errs);
    ObjectNode strategy = Json.object(spec, "updateStrategy");
    String type = Json.textOr(strategy, "type");
    if (strategy != null && !SET_STRATEGIES.contains(type)) {
      errs.notSupported("spec.updateStrategy.type", type, SET_STRATEGIES);
    }
    ObjectNode rolling = Json.object(strategy, "rollingUpdate");
    if (rolling != null) {
      ContainerValidation.nonNegative(
          rolling, "partition", "spec.updateStrategy.rollingUpdate", errs);
    }
    ObjectNode retention = Json.object(spec, "persistentVolumeClaimRetentionPolicy");
    String retentionPath = "spec.persistentVolumeClaimRetentionPolicy";
    PodValidation.enumValue(retention, "whenDeleted", retentionPath, RETENTION, errs);
    PodValidation.enumValue(retention, "whenScaled", retentionPath, RETENTION, errs);
    if (old != null) {
      statefulSetUpdate(spec, Json.object(old, "spec"), errs);
    }
  }

  /**
   * The spec as the StatefulSet's pods will have it: each volumeClaimTemplate a volume of that name
   * (the controller adds them), so containers may mount the claims. Upstream does not check a
   * StatefulSet template's volumes at all; this keeps the other pod checks.
   */
  private static ObjectNode withClaimVolumes(ObjectNode spec) {
    List<ObjectNode> claims = Json.objects(spec, "volumeClaimTemplates");
    ObjectNode podSpec = Json.object(Json.object(spec, "template"), "spec");
    if (claims.isEmpty() || podSpec == null) {
      return spec;
    }
    ObjectNode copy = spec.deepCopy();
    ObjectNode copySpec = (ObjectNode) copy.get("template").get("spec");
    java.util.Set<String> present = new java.util.HashSet<>();
    Json.objects(copySpec, "volumes").forEach(v -> present.add(v.path("name").asText("")));
    com.fasterxml.jackson.databind.node.ArrayNode volumes =
        copySpec.path("volumes").isArray()
            ? (com.fasterxml.jackson.databind.node.ArrayNode) copySpec.get("volumes")
            : copySpec.putArray("volumes");
    for (ObjectNode c : claims) {
      String name = c.path("metadata").path("name").asText("");
      if (!name.isEmpty() && present.add(name)) {
        volumes
            .addObject()
            .put("name", name)
            .putObject("persistentVolumeClaim")
            .put("claimName", name);
      }
    }
    return copy;
  }

  /** A StatefulSet may change only replicas, ordinals, template, strategy, retention, minReady. */
  private static void statefulSetUpdate(ObjectNode spec, ObjectNode oldSpec, Errors errs) {
    if (oldSpec == null) {
      return;
    }
    ObjectNode a = spec.deepCopy();
    ObjectNode b = oldSpec.deepCopy();
    for (String f :
        List.of(
            "replicas",
            "ordinals",
            "template",
            "updateStrategy",
            "persistentVolumeClaimRetentionPolicy",
            "minReadySeconds")) {
      a.remove(f);
      b.remove(f);
    }
    if (!a.equals(b)) {
      errs.forbidden(
          "spec",
          "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template',"
              + " 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds'"
              + " are forbidden");
    }
  }

  /** An RC's selector is a plain map; it must select the template's labels. */
  static void replicationController(ObjectNode object, Errors errs) {
    ObjectNode spec = spec(object, errs);
    if (spec == null) {
      return;
    }
    replicas(spec, errs);
    ObjectNode selector = Json.object(spec, "selector");
    if (selector == null || selector.isEmpty()) {
      errs.required("spec.selector");
    } else {
      MetadataValidation.validateLabels(Json.entries(spec, "selector"), "spec.selector", errs);
    }
    ObjectNode template = Json.object(spec, "template");
    if (template == null) {
      errs.required("spec.template");
      return;
    }
    JsonNode labels = template.path("metadata").path("labels");
    if (selector != null && !selector.isEmpty() && !Selectors.mapMatches(selector, labels)) {
      errs.invalid(
          "spec.template.metadata.labels",
          labels.toString(),
          "selector does not match template labels");
    }
    template(template, "spec.template", List.of("Always"), errs);
  }

  static ObjectNode spec(ObjectNode object, Errors errs) {
    ObjectNode spec = Json.object(object, "spec");
    if (spec == null) {
      errs.required("spec");
    }
    return spec;
  }

  /**
   * The selector is required, non-empty and valid, and selects the template's labels; the template
   * is a valid pod template whose restart policy is one of {@code restartPolicies}.
   */
  static void selectorAndTemplate(
      ObjectNode spec, String kindWord, List<String> restartPolicies, Errors errs) {
    ObjectNode selector = Json.object(spec, "selector");
    if (selector == null) {
      errs.required("spec.selector");
    } else if (Selectors.isEmpty(selector)) {
      errs.invalid(
          "spec.selector", selector.toString(), "empty selector is invalid for " + kindWord);
    } else {
      Selectors.validate(selector, "spec.selector", errs);
    }
    ObjectNode template = Json.object(spec, "template");
    if (template == null) {
      errs.required("spec.template");
      return;
    }
    JsonNode labels = template.path("metadata").path("labels");
    if (selector != null && !Selectors.isEmpty(selector) && !Selectors.matches(selector, labels)) {
      errs.invalid("spec.template.metadata.labels", labels.toString(), SELECTOR_MISMATCH);
    }
    template(template, "spec.template", restartPolicies, errs);
  }

  /** A pod template at {@code path}: its labels, its spec and its restart policy. */
  static void template(
      ObjectNode template, String path, List<String> restartPolicies, Errors errs) {
    ObjectNode meta = Json.object(template, "metadata");
    MetadataValidation.validateLabels(
        Json.entries(meta, "labels"), path + ".metadata.labels", errs);
    MetadataValidation.validateAnnotations(
        Json.entries(meta, "annotations"), path + ".metadata.annotations", errs);
    ObjectNode podSpec = Json.object(template, "spec");
    if (podSpec == null) {
      errs.required(path + ".spec");
      return;
    }
    PodValidation.spec(podSpec, path + ".spec", errs);
    String restart = Json.textOr(podSpec, "restartPolicy");
    if (!restartPolicies.contains(restart)) {
      errs.notSupported(path + ".spec.restartPolicy", restart, restartPolicies);
    }
    Long deadline = Json.integer(podSpec, "activeDeadlineSeconds");
    if (deadline != null && restartPolicies.contains("Always")) {
      errs.invalid(
          path + ".spec.activeDeadlineSeconds",
          deadline,
          "activeDeadlineSeconds in ReplicaSet is not Supported");
    }
  }

  static void replicas(ObjectNode spec, Errors errs) {
    ContainerValidation.nonNegative(spec, "replicas", "spec", errs);
  }

  /** maxSurge and maxUnavailable: counts or percentages, not both zero. */
  static void rollingUpdate(ObjectNode rolling, String path, Errors errs) {
    JsonNode surge = rolling.get("maxSurge");
    JsonNode unavailable = rolling.get("maxUnavailable");
    intOrPercent(surge, path + ".maxSurge", errs);
    intOrPercent(unavailable, path + ".maxUnavailable", errs);
    if (unavailable != null && unavailable.isTextual() && percent(unavailable) > 100) {
      errs.invalid(path + ".maxUnavailable", unavailable, "must not be greater than 100%");
    }
    if (isZero(surge) && isZero(unavailable)) {
      errs.invalid(path + ".maxUnavailable", unavailable, "may not be 0 when `maxSurge` is 0");
    }
  }

  private static void intOrPercent(JsonNode v, String path, Errors errs) {
    if (v == null || v.isNull()) {
      return;
    }
    if (v.isIntegralNumber()) {
      if (v.longValue() < 0) {
        errs.invalid(path, v, ResourceLists.NEGATIVE);
      }
    } else if (!v.isTextual() || !v.textValue().matches("[0-9]+%")) {
      errs.invalid(path, v, PERCENT_MSG);
    }
  }

  private static long percent(JsonNode v) {
    String t = v.textValue();
    return t.matches("[0-9]{1,9}%") ? Long.parseLong(t.substring(0, t.length() - 1)) : 0;
  }

  /** Absent counts as zero only for maxSurge-style fields once defaulted; callers pass values. */
  private static boolean isZero(JsonNode v) {
    if (v == null || v.isNull()) {
      return false;
    }
    return v.isIntegralNumber() ? v.longValue() == 0 : v.asText().equals("0%");
  }

  static void immutableSelector(ObjectNode spec, ObjectNode oldSpec, Errors errs) {
    if (oldSpec != null && !Objects.equals(spec.get("selector"), oldSpec.get("selector"))) {
      errs.invalid("spec.selector", String.valueOf(spec.get("selector")), "field is immutable");
    }
  }
}
