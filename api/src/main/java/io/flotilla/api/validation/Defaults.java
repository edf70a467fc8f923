package io.flotilla.api.validation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.GroupVersionKind;

/**
 * Upstream's defaulting (pkg/apis/{@literal *}/v1/defaults.go) for the built-in kinds, applied in
 * place to a create or update body before validation. Idempotent: defaulting a defaulted object
 * changes nothing. Allocation (cluster IPs, node ports, service account names, priorities) is the
 * apiserver's and admission's business, not this class's. Stateless and thread-safe.
 */
public final class Defaults {
  private Defaults() {}

  public static void apply(GroupVersionKind gvk, ObjectNode object) {
    ObjectNode spec = Json.object(object, "spec");
    switch (gvk.kind()) {
      case "Pod" -> PodDefaults.pod(object);
      case "PodTemplate" -> PodDefaults.template(Json.object(object, "template"));
      case "ReplicationController" -> replicationController(object);
      case "Deployment" -> deployment(Json.objectOrCreate(object, "spec"));
      case "ReplicaSet" -> {
        ObjectNode s = Json.objectOrCreate(object, "spec");
        Json.putIfAbsent(s, "replicas", 1);
        PodDefaults.template(Json.object(s, "template"));
      }
      case "StatefulSet" -> statefulSet(Json.objectOrCreate(object, "spec"));
      case "DaemonSet" -> daemonSet(Json.objectOrCreate(object, "spec"));
      case "Job" -> WorkloadDefaults.job(object);
      case "CronJob" -> WorkloadDefaults.cronJob(Json.objectOrCreate(object, "spec"));
      case "Service" -> ServiceDefaults.service(Json.objectOrCreate(object, "spec"));
      case "Secret" -> secret(object);
      case "Namespace" -> namespace(object);
      case "Node" -> node(object);
      case "PersistentVolumeClaim" -> pvcSpec(Json.objectOrCreate(object, "spec"));
      case "PersistentVolume" -> persistentVolume(object);
      case "Endpoints" -> ServiceDefaults.endpoints(object);
      case "EndpointSlice" -> ServiceDefaults.endpointSlice(object);
      case "HorizontalPodAutoscaler" -> WorkloadDefaults.hpa(Json.objectOrCreate(object, "spec"));
      case "LimitRange" -> WorkloadDefaults.limitRange(spec);
      case "NetworkPolicy" -> networkPolicy(Json.objectOrCreate(object, "spec"));
      case "PriorityClass" -> Json.putIfAbsent(object, "preemptionPolicy", "PreemptLowerPriority");
      case "StorageClass" -> {
        Json.putIfAbsent(object, "reclaimPolicy", "Delete");
        Json.putIfAbsent(object, "volumeBindingMode", "Immediate");
      }
      case "RoleBinding", "ClusterRoleBinding" -> roleBinding(object);
      default -> {
        // No defaults: ConfigMap, Lease, Event, ResourceQuota, PDB, Ingress, roles, custom kinds.
      }
    }
  }

  private static void deployment(ObjectNode spec) {
    Json.putIfAbsent(spec, "replicas", 1);
    ObjectNode strategy = Json.objectOrCreate(spec, "strategy");
    Json.putIfAbsent(strategy, "type", "RollingUpdate");
    if ("RollingUpdate".equals(Json.text(strategy, "type"))) {
      ObjectNode ru = Json.objectOrCreate(strategy, "rollingUpdate");
      Json.putIfAbsent(ru, "maxUnavailable", "25%");
      Json.putIfAbsent(ru, "maxSurge", "25%");
    }
    Json.putIfAbsent(spec, "revisionHistoryLimit", 10);
    Json.putIfAbsent(spec, "progressDeadlineSeconds", 600);
    PodDefaults.template(Json.object(spec, "template"));
  }

  private static void statefulSet(ObjectNode spec) {
    Json.putIfAbsent(spec, "podManagementPolicy", "OrderedReady");
    ObjectNode strategy = Json.objectOrCreate(spec, "updateStrategy");
    Json.putIfAbsent(strategy, "type", "RollingUpdate");
    if ("RollingUpdate".equals(Json.text(strategy, "type"))) {
      Json.putIfAbsent(Json.objectOrCreate(strategy, "rollingUpdate"), "partition", 0);
    }
    Json.putIfAbsent(spec, "replicas", 1);
    Json.putIfAbsent(spec, "revisionHistoryLimit", 10);
    ObjectNode retention = Json.objectOrCreate(spec, "persistentVolumeClaimRetentionPolicy");
    Json.putIfAbsent(retention, "whenDeleted", "Retain");
    Json.putIfAbsent(retention, "whenScaled", "Retain");
    for (ObjectNode pvc : Json.objects(spec, "volumeClaimTemplates")) {
      pvcSpec(Json.objectOrCreate(pvc, "spec"));
    }
    PodDefaults.template(Json.object(spec, "template"));
  }

  private static void daemonSet(ObjectNode spec) {
    ObjectNode strategy = Json.objectOrCreate(spec, "updateStrategy");
    Json.putIfAbsent(strategy, "type", "RollingUpdate");
    if ("RollingUpdate".equals(Json.text(strategy, "type"))) {
      ObjectNode ru = Json.objectOrCreate(strategy, "rollingUpdate");
      Json.putIfAbsent(ru, "maxUnavailable", 1);
      Json.putIfAbsent(ru, "maxSurge", 0);
    }
    Json.putIfAbsent(spec, "revisionHistoryLimit", 10);
    PodDefaults.template(Json.object(spec, "template"));
  }

  /** An RC's selector and labels default to its template's labels. */
  private static void replicationController(ObjectNode rc) {
    ObjectNode spec = Json.objectOrCreate(rc, "spec");
    ObjectNode template = Json.object(spec, "template");
    ObjectNode templateLabels = Json.object(Json.object(template, "metadata"), "labels");
    if (templateLabels != null && !templateLabels.isEmpty()) {
      ObjectNode selector = Json.object(spec, "selector");
      if (selector == null || selector.isEmpty()) {
        spec.set("selector", templateLabels.deepCopy());
      }
      ObjectNode meta = Json.objectOrCreate(rc, "metadata");
      ObjectNode labels = Json.object(meta, "labels");
      if (labels == null || labels.isEmpty()) {
        meta.set("labels", templateLabels.deepCopy());
      }
    }
    Json.putIfAbsent(spec, "replicas", 1);
    PodDefaults.template(template);
  }

  /**
   * Type Opaque; stringData, a write-only convenience, is merged into data (base64-encoded, its
   * values winning) and dropped, as upstream's conversion does.
   */
  private static void secret(ObjectNode secret) {
    Json.putIfAbsent(secret, "type", "Opaque");
    ObjectNode stringData = Json.object(secret, "stringData");
    if (stringData != null) {
      ObjectNode data = Json.objectOrCreate(secret, "data");
      stringData
          .fields()
          .forEachRemaining(
              e ->
                  data.put(
                      e.getKey(),
                      java.util.Base64.getEncoder()
                          .encodeToString(
                              e.getValue()
                                  .asText()
                                  .getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }
    secret.remove("stringData");
  }

  /**
   * Finalizer "kubernetes", phase Active, and the label naming the namespace (always kept true).
   */
  private static void namespace(ObjectNode ns) {
    ObjectNode meta = Json.object(ns, "metadata");
    String name = Json.textOr(meta, "name");
    if (!name.isEmpty()) {
      Json.objectOrCreate(meta, "labels").put("kubernetes.io/metadata.name", name);
    }
    ObjectNode spec = Json.objectOrCreate(ns, "spec");
    if (Json.absent(spec, "finalizers")) {
      spec.set("finalizers", PodDefaults.array("kubernetes"));
    }
    Json.putIfAbsent(Json.objectOrCreate(ns, "status"), "phase", "Active");
  }

  /** A node's allocatable defaults to its capacity. */
  private static void node(ObjectNode node) {
    ObjectNode status = Json.object(node, "status");
    ObjectNode capacity = Json.object(status, "capacity");
    if (capacity != null && !capacity.isEmpty()) {
      ObjectNode allocatable = Json.object(status, "allocatable");
      if (allocatable == null || allocatable.isEmpty()) {
        status.set("allocatable", capacity.deepCopy());
      }
    }
  }

  static void pvcSpec(ObjectNode spec) {
    Json.putIfAbsent(spec, "volumeMode", "Filesystem");
  }

  private static void persistentVolume(ObjectNode pv) {
    ObjectNode spec = Json.objectOrCreate(pv, "spec");
    Json.putIfAbsent(spec, "persistentVolumeReclaimPolicy", "Retain");
    Json.putIfAbsent(spec, "volumeMode", "Filesystem");
    Json.putIfAbsent(Json.objectOrCreate(pv, "status"), "phase", "Pending");
  }

  /** policyTypes: Ingress always, Egress when egress rules are given. */
  private static void networkPolicy(ObjectNode spec) {
    if (Json.absent(spec, "policyTypes") || spec.get("policyTypes").isEmpty()) {
      ArrayNode types = PodDefaults.array("Ingress");
      if (spec.path("egress").size() > 0) {
        types.add("Egress");
      }
      spec.set("policyTypes", types);
    }
  }

  /** A subject's apiGroup: "" for service accounts, the RBAC group for users and groups. */
  private static void roleBinding(ObjectNode binding) {
    for (ObjectNode subject : Json.objects(binding, "subjects")) {
      String kind = Json.textOr(subject, "kind");
      if (kind.equals("ServiceAccount")) {
        Json.putIfAbsent(subject, "apiGroup", "");
      } else if (kind.equals("User") || kind.equals("Group")) {
        Json.putIfAbsent(subject, "apiGroup", "rbac.authorization.k8s.io");
      }
    }
  }
}
