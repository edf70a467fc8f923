package io.flotilla.api.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.FieldError;
import io.flotilla.api.GroupVersionKind;
import java.util.List;
import java.util.Objects;

/**
 * Upstream's validation of the built-in kinds, answering with field errors worded and placed as
 * upstream's (so kubectl shows the familiar messages). Run after {@link Defaults#apply}: checks
 * assume defaulted objects. Stateless and thread-safe; never throws on malformed input, which is
 * reported as errors instead.
 */
public final class Validation {
  private Validation() {}

  /**
   * Object metadata, for every kind: name (by {@code rule}) or generateName, namespace (required
   * when {@code namespaced}, forbidden otherwise), labels, annotations, finalizers and owner
   * references.
   */
  public static List<FieldError> validateMetadata(
      ObjectNode object, boolean namespaced, NameRule rule) {
    return MetadataValidation.validate(object, namespaced, rule);
  }

  /**
   * Kind-specific validation, and on update ({@code old} not null) the immutability of the name,
   * namespace and uid and of each kind's fixed fields. Unknown kinds pass.
   */
  public static List<FieldError> validate(GroupVersionKind gvk, ObjectNode object, ObjectNode old) {
    Errors errs = new Errors();
    if (old != null) {
      metadataUpdate(object, old, errs);
    }
    switch (gvk.kind()) {
      case "Pod" -> PodValidation.pod(object, old, errs);
      case "PodTemplate" -> podTemplate(object, errs);
      case "Service" -> ServiceValidation.service(object, old, errs);
      case "Deployment" -> WorkloadValidation.deployment(object, old, errs);
      case "ReplicaSet" -> WorkloadValidation.replicaSet(object, old, errs);
      case "StatefulSet" -> WorkloadValidation.statefulSet(object, old, errs);
      case "DaemonSet" -> WorkloadValidation.daemonSet(object, old, errs);
      case "ReplicationController" -> WorkloadValidation.replicationController(object, errs);
      case "Job" -> JobValidation.job(object, old, errs);
      case "CronJob" -> JobValidation.cronJob(object, errs);
      case "ConfigMap" -> ConfigValidation.configMap(object, old, errs);
      case "Secret" -> ConfigValidation.secret(object, old, errs);
      case "Event" -> {
        // events.k8s.io/v1 Events name their object in `regarding`, core/v1 in `involvedObject`.
        if (gvk.group().equals("events.k8s.io")) {
          PolicyValidation.eventsV1(object, errs);
        } else {
          ClusterValidation.validate(gvk.kind(), object, old, errs);
        }
      }
      default -> ClusterValidation.validate(gvk.kind(), object, old, errs);
    }
    return errs.list();
  }

  /** How names of a kind are checked: DNS label for namespaces, RFC 1035 for services, … */
  public static NameRule nameRule(GroupVersionKind gvk) {
    return switch (gvk.kind()) {
      case "Namespace" -> NameRule.DNS_LABEL;
      case "Service" -> NameRule.DNS1035_LABEL;
      case "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding" ->
          "rbac.authorization.k8s.io".equals(gvk.group())
              ? NameRule.PATH_SEGMENT
              : NameRule.DNS_SUBDOMAIN;
      default -> NameRule.DNS_SUBDOMAIN;
    };
  }

  private static void podTemplate(ObjectNode object, Errors errs) {
    ObjectNode template = Json.object(object, "template");
    if (template == null) {
      errs.required("template");
    } else {
      WorkloadValidation.template(template, "template", PodValidation.RESTART_POLICIES, errs);
    }
  }

  private static void metadataUpdate(ObjectNode object, ObjectNode old, Errors errs) {
    ObjectNode meta = Json.object(object, "metadata");
    ObjectNode oldMeta = Json.object(old, "metadata");
    for (String f : List.of("name", "namespace", "uid")) {
      String now = Json.textOr(meta, f);
      String before = Json.textOr(oldMeta, f);
      if (!before.isEmpty() && !now.isEmpty() && !Objects.equals(now, before)) {
        errs.invalid("metadata." + f, now, "field is immutable");
      }
    }
  }
}
