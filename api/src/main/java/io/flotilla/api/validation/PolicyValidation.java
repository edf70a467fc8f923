package io.flotilla.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Checks Events and the policy kinds: PodDisruptionBudget, HorizontalPodAutoscaler, ResourceQuota
 * and LimitRange.
 */
final class PolicyValidation {
  private PolicyValidation() {}

  private static final List<String> EVENT_TYPES = List.of("Normal", "Warning");
  private static final List<String> LIMIT_TYPES =
      List.of("Container", "PersistentVolumeClaim", "Pod");

  static void validate(String kind, ObjectNode object, Errors errs) {
    switch (kind) {
      case "Event" -> event(object, errs);
      case "PodDisruptionBudget" -> pdb(object, errs);
      case "HorizontalPodAutoscaler" -> hpa(object, errs);
      case "ResourceQuota" -> resourceQuota(object, errs);
      case "LimitRange" -> limitRange(object, errs);
      default -> {
        // Kinds without checks of their own: ServiceAccount, custom resources.
      }
    }
  }

  private static void event(ObjectNode event, Errors errs) {
    ObjectNode involved = Json.object(event, "involvedObject");
    String eventNs = Json.textOr(Json.object(event, "metadata"), "namespace");
    if (involved == null) {
      errs.required("involvedObject");
    } else {
      String ns = Json.textOr(involved, "namespace");
      if (!ns.isEmpty() && !eventNs.isEmpty() && !ns.equals(eventNs)) {
        errs.invalid("involvedObject.namespace", ns, "does not match event.namespace");
      }
    }
    String type = Json.text(event, "type");
    if (type != null && !type.isEmpty() && !EVENT_TYPES.contains(type)) {
      errs.notSupported("type", type, EVENT_TYPES);
    }
  }

  /** An events.k8s.io/v1 Event: the fields upstream requires of a new-style event. */
  static void eventsV1(ObjectNode event, Errors errs) {
    for (String field :
        List.of("eventTime", "reportingController", "reportingInstance", "action", "reason")) {
      String v = Json.text(event, field);
      if (v == null || v.isEmpty()) {
        errs.required(field);
      }
    }
    String type = Json.text(event, "type");
    if (type != null && !type.isEmpty() && !EVENT_TYPES.contains(type)) {
      errs.notSupported("type", type, EVENT_TYPES);
    }
  }

  private static void pdb(ObjectNode pdb, Errors errs) {
    ObjectNode spec = Json.object(pdb, "spec");
    boolean min = !Json.absent(spec, "minAvailable");
    boolean max = !Json.absent(spec, "maxUnavailable");
    if (min && max) {
      errs.invalid(
          "spec", String.valueOf(spec), "minAvailable and maxUnavailable cannot be both set");
    }
    for (String f : List.of("minAvailable", "maxUnavailable")) {
      JsonNode v = spec == null ? null : spec.get(f);
      if (v == null || v.isNull()) {
        continue;
      }
      if (v.isIntegralNumber() ? v.longValue() < 0 : !v.asText().matches("[0-9]+%")) {
        errs.invalid(
            "spec." + f,
            v,
            v.isIntegralNumber()
                ? ResourceLists.NEGATIVE
                : "a valid percent string must be a numeric string followed by an ending '%'");
      } else if (v.isTextual() && Long.parseLong(v.asText().replace("%", "")) > 100) {
        errs.invalid("spec." + f, v, "must not be greater than 100%");
      }
    }
    Selectors.validate(Json.object(spec, "selector"), "spec.selector", errs);
  }

  private static void hpa(ObjectNode hpa, Errors errs) {
    ObjectNode spec = Json.object(hpa, "spec");
    ObjectNode ref = Json.object(spec, "scaleTargetRef");
    if (ref == null) {
      errs.required("spec.scaleTargetRef");
    } else {
      if (Json.textOr(ref, "kind").isEmpty()) {
        errs.required("spec.scaleTargetRef.kind");
      }
      String name = Json.textOr(ref, "name");
      if (name.isEmpty()) {
        errs.required("spec.scaleTargetRef.name");
      } else {
        errs.invalidEach("spec.scaleTargetRef.name", name, Names.pathSegmentName(name));
      }
    }
    Long min = Json.integer(spec, "minReplicas");
    Long max = Json.integer(spec, "maxReplicas");
    if (min != null && min < 1) {
      errs.invalid("spec.minReplicas", min, "must be greater than or equal to 1");
    }
    if (max == null) {
      errs.required("spec.maxReplicas");
    } else if (max < 1) {
      errs.invalid("spec.maxReplicas", max, "must be greater than 0");
    } else if (min != null && max < min) {
      errs.invalid("spec.maxReplicas", max, "must be greater than or equal to `minReplicas`");
    }
  }

  private static void resourceQuota(ObjectNode quota, Errors errs) {
    ObjectNode spec = Json.object(quota, "spec");
    ResourceLists.validate(Json.object(spec, "hard"), "spec.hard", errs);
    List<String> scopes = Json.strings(spec, "scopes");
    List<String> known =
        List.of(
            "BestEffort",
            "CrossNamespacePodAffinity",
            "NotBestEffort",
            "NotTerminating",
            "PriorityClass",
            "Terminating");
    for (String s : scopes) {
      if (!known.contains(s)) {
        errs.notSupported("spec.scopes", s, known);
      }
    }
  }

  /** Each limit's type is known and its min <= defaultRequest <= default <= max. */
  private static void limitRange(ObjectNode lr, Errors errs) {
    List<ObjectNode> limits = Json.objects(Json.object(lr, "spec"), "limits");
    for (int i = 0; i < limits.size(); i++) {
      ObjectNode item = limits.get(i);
      String p = "spec.limits[" + i + "]";
      String type = Json.textOr(item, "type");
      if (!LIMIT_TYPES.contains(type)) {
        errs.notSupported(p + ".type", type, LIMIT_TYPES);
      }
      Map<String, Quantity> max =
          ResourceLists.validate(Json.object(item, "max"), p + ".max", errs);
      Map<String, Quantity> min =
          ResourceLists.validate(Json.object(item, "min"), p + ".min", errs);
      Map<String, Quantity> dflt =
          ResourceLists.validate(Json.object(item, "default"), p + ".default", errs);
      Map<String, Quantity> req =
          ResourceLists.validate(Json.object(item, "defaultRequest"), p + ".defaultRequest", errs);
      for (var e : min.entrySet()) {
        Quantity mx = max.get(e.getKey());
        if (mx != null && e.getValue().compareTo(mx) > 0) {
          errs.invalid(
              p + ".min[" + e.getKey() + "]",
              e.getValue().toString(),
              "min value " + e.getValue() + " is greater than max value " + mx);
        }
      }
      for (var e : req.entrySet()) {
        Quantity d = dflt.get(e.getKey());
        if (d != null && e.getValue().compareTo(d) > 0) {
          errs.invalid(
              p + ".defaultRequest[" + e.getKey() + "]",
              e.getValue().toString(),
              "default request value "
                  + e.getValue()
                  + " is greater than default limit value "
                  + d);
        }
      }
      for (var e : dflt.entrySet()) {
        Quantity mx = max.get(e.getKey());
        if (mx != null && e.getValue().compareTo(mx) > 0) {
          errs.invalid(
              p + ".default[" + e.getKey() + "]",
              e.getValue().toString(),
              "default value " + e.getValue() + " is greater than max value " + mx);
        }
      }
    }
  }
}
