package io.flotilla.api;

import io.flotilla.api.crd.CrdBehavior;
import io.flotilla.api.kinds.BatchBehaviors;
import io.flotilla.api.kinds.ClusterBehaviors;
import io.flotilla.api.kinds.ConfigBehaviors;
import io.flotilla.api.kinds.EventBehaviors;
import io.flotilla.api.kinds.PodBehavior;
import io.flotilla.api.kinds.ScalingBehaviors;
import io.flotilla.api.kinds.ServiceBehaviors;
import io.flotilla.api.kinds.StorageBehaviors;
import io.flotilla.api.kinds.TableBehavior;
import io.flotilla.api.kinds.WorkloadBehaviors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The built-in kinds Flotilla serves, with the names, scope, verbs and subresources kube-apiserver
 * 1.33 gives them in discovery.
 */
final class BuiltInKinds {
  private BuiltInKinds() {}

  /** Every verb, in the (alphabetical) order upstream discovery lists them. */
  static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** Namespaces cannot be deleted as a collection. */
  static final List<String> NAMESPACE_VERBS =
      List.of("create", "delete", "get", "list", "patch", "update", "watch");

  /** Bindings and self-subject reviews are only ever created. */
  static final List<String> CREATE_ONLY = List.of("create");

  private static final boolean NAMESPACED = true;
  private static final boolean CLUSTER = false;

  static List<ResourceType> all() {
    List<ResourceType> out = new ArrayList<>();
    core(out);
    workloads(out);
    networking(out);
    cluster(out);
    return List.copyOf(out);
  }

  private static void core(List<ResourceType> out) {
    out.add(
        def("", "v1", "Namespace", "namespaces", CLUSTER, ClusterBehaviors.namespace())
            .shortNames("ns")
            .verbs(NAMESPACE_VERBS)
            .subresources("status", "finalize")
            .build());
    out.add(
        def("", "v1", "Pod", "pods", NAMESPACED, PodBehavior.pod())
            .shortNames("po")
            .categories("all")
            .subresources("status", "binding", "eviction", "log", "exec", "attach", "portforward")
            .build());
    out.add(
        def("", "v1", "Binding", "bindings", NAMESPACED, TableBehavior.plain(false))
            .verbs(CREATE_ONLY)
            .build());
    out.add(
        def("", "v1", "Service", "services", NAMESPACED, ServiceBehaviors.service())
            .shortNames("svc")
            .categories("all")
            .subresources("status", "proxy")
            .build());
    out.add(
        def("", "v1", "Endpoints", "endpoints", NAMESPACED, ServiceBehaviors.endpoints())
            .shortNames("ep")
            .build());
    out.add(
        def("", "v1", "ConfigMap", "configmaps", NAMESPACED, ConfigBehaviors.configMap())
            .shortNames("cm")
            .build());
    out.add(def("", "v1", "Secret", "secrets", NAMESPACED, ConfigBehaviors.secret()).build());
    out.add(
        def(
                "",
                "v1",
                "ServiceAccount",
                "serviceaccounts",
                NAMESPACED,
                ConfigBehaviors.serviceAccount())
            .shortNames("sa")
            .subresources("token")
            .build());
    out.add(
        def("", "v1", "Node", "nodes", CLUSTER, ClusterBehaviors.node())
            .shortNames("no")
            .subresources("status", "proxy")
            .build());
    out.add(
        def("", "v1", "Event", "events", NAMESPACED, EventBehaviors.coreEvent())
            .shortNames("ev")
            .build());
    out.add(
        def(
                "",
                "v1",
                "PersistentVolume",
                "persistentvolumes",
                CLUSTER,
                StorageBehaviors.persistentVolume())
            .shortNames("pv")
            .subresources("status")
            .build());
    out.add(
        def(
                "",
                "v1",
                "PersistentVolumeClaim",
                "persistentvolumeclaims",
                NAMESPACED,
                StorageBehaviors.persistentVolumeClaim())
            .shortNames("pvc")
            .subresources("status")
            .build());
    out.add(
        def(
                "",
                "v1",
                "ResourceQuota",
                "resourcequotas",
                NAMESPACED,
                ClusterBehaviors.resourceQuota())
            .shortNames("quota")
            .subresources("status")
            .build());
    out.add(
        def("", "v1", "LimitRange", "limitranges", NAMESPACED, TableBehavior.plain(true))
            .shortNames("limits")
            .build());
    out.add(
        def(
                "",
                "v1",
                "ReplicationController",
                "replicationcontrollers",
                NAMESPACED,
                WorkloadBehaviors.replicationController())
            .shortNames("rc")
            .categories("all")
            .subresources("status", "scale")
            .build());
    out.add(
        def("", "v1", "PodTemplate", "podtemplates", NAMESPACED, PodBehavior.podTemplate())
            .build());
  }

  private static void workloads(List<ResourceType> out) {
    out.add(
        def("apps", "v1", "Deployment", "deployments", NAMESPACED, WorkloadBehaviors.deployment())
            .shortNames("deploy")
            .categories("all")
            .subresources("status", "scale")
            .build());
    out.add(
        def("apps", "v1", "ReplicaSet", "replicasets", NAMESPACED, WorkloadBehaviors.replicaSet())
            .shortNames("rs")
            .categories("all")
            .subresources("status", "scale")
            .build());
    out.add(
        def(
                "apps",
                "v1",
                "StatefulSet",
                "statefulsets",
                NAMESPACED,
                WorkloadBehaviors.statefulSet())
            .shortNames("sts")
            .categories("all")
            .subresources("status", "scale")
            .build());
    out.add(
        def("apps", "v1", "DaemonSet", "daemonsets", NAMESPACED, WorkloadBehaviors.daemonSet())
            .shortNames("ds")
            .categories("all")
            .subresources("status")
            .build());
    out.add(
        def(
                "apps",
                "v1",
                "ControllerRevision",
                "controllerrevisions",
                NAMESPACED,
                WorkloadBehaviors.controllerRevision())
            .build());
    out.add(
        def("batch", "v1", "Job", "jobs", NAMESPACED, BatchBehaviors.job())
            .categories("all")
            .subresources("status")
            .build());
    out.add(
        def("batch", "v1", "CronJob", "cronjobs", NAMESPACED, BatchBehaviors.cronJob())
            .shortNames("cj")
            .categories("all")
            .subresources("status")
            .build());
    for (String version : List.of("v1", "v2")) {
      out.add(
          def(
                  "autoscaling",
                  version,
                  "HorizontalPodAutoscaler",
                  "horizontalpodautoscalers",
                  NAMESPACED,
                  ScalingBehaviors.horizontalPodAutoscaler())
              .shortNames("hpa")
              .categories("all")
              .subresources("status")
              .build());
    }
    out.add(
        def(
                "policy",
                "v1",
                "PodDisruptionBudget",
                "poddisruptionbudgets",
                NAMESPACED,
                ScalingBehaviors.podDisruptionBudget())
            .shortNames("pdb")
            .subresources("status")
            .build());
  }

  private static void networking(List<ResourceType> out) {
    out.add(
        def(
                "discovery.k8s.io",
                "v1",
                "EndpointSlice",
                "endpointslices",
                NAMESPACED,
                ServiceBehaviors.endpointSlice())
            .build());
    out.add(
        def(
                "networking.k8s.io",
                "v1",
                "Ingress",
                "ingresses",
                NAMESPACED,
                ServiceBehaviors.ingress())
            .shortNames("ing")
            .subresources("status")
            .build());
    out.add(
        def(
                "networking.k8s.io",
                "v1",
                "IngressClass",
                "ingressclasses",
                CLUSTER,
                ServiceBehaviors.ingressClass())
            .build());
    out.add(
        def(
                "networking.k8s.io",
                "v1",
                "NetworkPolicy",
                "networkpolicies",
                NAMESPACED,
                ServiceBehaviors.networkPolicy())
            .shortNames("netpol")
            .build());
    // events.k8s.io/v1 is a second schema over the core events storage.
    out.add(
        def("events.k8s.io", "v1", "Event", "events", NAMESPACED, EventBehaviors.eventsEvent())
            .shortNames("ev")
            .storage("core/events")
            .build());
  }

  private static void cluster(List<ResourceType> out) {
    String rbac = "rbac.authorization.k8s.io";
    out.add(def(rbac, "v1", "Role", "roles", NAMESPACED, TableBehavior.plain(false)).build());
    out.add(
        def(rbac, "v1", "RoleBinding", "rolebindings", NAMESPACED, ConfigBehaviors.binding())
            .build());
    out.add(
        def(rbac, "v1", "ClusterRole", "clusterroles", CLUSTER, TableBehavior.plain(false))
            .build());
    out.add(
        def(
                rbac,
                "v1",
                "ClusterRoleBinding",
                "clusterrolebindings",
                CLUSTER,
                ConfigBehaviors.binding())
            .build());
    out.add(
        def("coordination.k8s.io", "v1", "Lease", "leases", NAMESPACED, ClusterBehaviors.lease())
            .build());
    out.add(
        def(
                "storage.k8s.io",
                "v1",
                "StorageClass",
                "storageclasses",
                CLUSTER,
                StorageBehaviors.storageClass())
            .shortNames("sc")
            .build());
    out.add(
        def(
                "scheduling.k8s.io",
                "v1",
                "PriorityClass",
                "priorityclasses",
                CLUSTER,
                ClusterBehaviors.priorityClass())
            .shortNames("pc")
            .build());
    out.add(
        def(
                "apiextensions.k8s.io",
                "v1",
                "CustomResourceDefinition",
                "customresourcedefinitions",
                CLUSTER,
                new CrdBehavior())
            .shortNames("crd", "crds")
            .subresources("status")
            .build());
    for (String kind : List.of("SelfSubjectAccessReview", "SelfSubjectRulesReview")) {
      out.add(review("authorization.k8s.io", kind));
    }
    out.add(review("authentication.k8s.io", "SelfSubjectReview"));
  }

  /** Reviews are never stored: the apiserver answers them on create. */
  private static ResourceType review(String group, String kind) {
    String plural = kind.toLowerCase(Locale.ROOT) + "s";
    return def(group, "v1", kind, plural, CLUSTER, TableBehavior.plain(false))
        .verbs(CREATE_ONLY)
        .build();
  }

  private static KindDefinition def(
      String group,
      String version,
      String kind,
      String plural,
      boolean namespaced,
      KindBehavior b) {
    return new KindDefinition(group, version, kind, plural, namespaced, b);
  }
}
