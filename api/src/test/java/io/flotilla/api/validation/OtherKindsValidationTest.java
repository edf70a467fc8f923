package io.flotilla.api.validation;

import static io.flotilla.api.validation.TestObjects.assertHasError;
import static io.flotilla.api.validation.TestObjects.check;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Cluster, storage, networking and policy kinds. */
class OtherKindsValidationTest {

  private static final String RBAC = "rbac.authorization.k8s.io/v1";

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("v1", "Namespace", "metadata: {name: dev}"),
        Arguments.of(
            "v1",
            "Node",
            "spec: {podCIDR: 10.244.1.0/24, taints: [{key: k, value: v, effect: NoSchedule}]}\nstatus: {capacity: {cpu: '4', memory: 8Gi, pods: '110'}}"),
        Arguments.of(
            "coordination.k8s.io/v1",
            "Lease",
            "spec: {holderIdentity: a, leaseDurationSeconds: 15}"),
        Arguments.of(
            RBAC, "Role", "rules: [{apiGroups: [''], resources: [pods], verbs: [get, list]}]"),
        Arguments.of(RBAC, "ClusterRole", "rules: [{nonResourceURLs: [/healthz], verbs: [get]}]"),
        Arguments.of(
            RBAC,
            "RoleBinding",
            "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}\nsubjects: [{kind: ServiceAccount, name: default}]"),
        Arguments.of(
            "scheduling.k8s.io/v1", "PriorityClass", "metadata: {name: high}\nvalue: 1000000"),
        Arguments.of("storage.k8s.io/v1", "StorageClass", "provisioner: rancher.io/local-path"),
        Arguments.of(
            "v1",
            "PersistentVolume",
            "spec: {accessModes: [ReadWriteOnce], capacity: {storage: 1Gi}, hostPath: {path: /data}}"),
        Arguments.of(
            "v1",
            "PersistentVolumeClaim",
            "spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}"),
        Arguments.of(
            "v1", "Endpoints", "subsets: [{addresses: [{ip: 10.0.0.1}], ports: [{port: 80}]}]"),
        Arguments.of(
            "discovery.k8s.io/v1",
            "EndpointSlice",
            "addressType: IPv4\nendpoints: [{addresses: [10.0.0.1]}]\nports: [{port: 80}]"),
        Arguments.of(
            "networking.k8s.io/v1",
            "Ingress",
            "spec: {rules: [{host: a.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]}"),
        Arguments.of(
            "networking.k8s.io/v1",
            "NetworkPolicy",
            "spec: {podSelector: {matchLabels: {app: db}}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}}], ports: [{port: 5432}]}]}"),
        Arguments.of(
            "v1",
            "Event",
            "metadata: {namespace: default}\ninvolvedObject: {kind: Pod, name: p, namespace: default}\ntype: Normal"),
        Arguments.of(
            "policy/v1",
            "PodDisruptionBudget",
            "spec: {minAvailable: 50%, selector: {matchLabels: {app: web}}}"),
        Arguments.of(
            "autoscaling/v2",
            "HorizontalPodAutoscaler",
            "spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 2, maxReplicas: 5}"),
        Arguments.of(
            "v1",
            "ResourceQuota",
            "spec: {hard: {pods: '10', requests.cpu: '4', count/deployments.apps: '5'}}"),
        Arguments.of(
            "v1",
            "LimitRange",
            "spec: {limits: [{type: Container, max: {cpu: '2'}, default: {cpu: 500m}}]}"));
  }

  @ParameterizedTest(name = "a valid {1} passes")
  @MethodSource("valid")
  void acceptsValidObjects(String apiVersion, String kind, String object) {
    assertThat(check(apiVersion, kind, object, null)).isEmpty();
  }

  static Stream<Arguments> bad() {
    return Stream.of(
        Arguments.of(
            "v1",
            "Node",
            "bad taint effect",
            "spec: {taints: [{key: k, effect: Sometimes}]}",
            "FieldValueNotSupported",
            "spec.taints[0].effect"),
        Arguments.of(
            "v1",
            "Node",
            "bad capacity",
            "status: {capacity: {cpu: four}}",
            "FieldValueInvalid",
            "status.capacity[cpu]"),
        Arguments.of(
            "v1",
            "Node",
            "bad pod CIDR",
            "spec: {podCIDR: 10.0.0.0/33}",
            "FieldValueInvalid",
            "spec.podCIDR"),
        Arguments.of(
            "coordination.k8s.io/v1",
            "Lease",
            "zero duration",
            "spec: {leaseDurationSeconds: 0}",
            "FieldValueInvalid",
            "spec.leaseDurationSeconds"),
        Arguments.of(
            RBAC,
            "Role",
            "rule without verbs",
            "rules: [{apiGroups: [''], resources: [pods]}]",
            "FieldValueRequired",
            "rules[0].verbs"),
        Arguments.of(
            RBAC,
            "Role",
            "role with URLs",
            "rules: [{nonResourceURLs: [/x], verbs: [get]}]",
            "FieldValueInvalid",
            "rules[0].nonResourceURLs"),
        Arguments.of(
            RBAC,
            "ClusterRole",
            "rule without resources",
            "rules: [{apiGroups: [''], verbs: [get]}]",
            "FieldValueRequired",
            "rules[0].resources"),
        Arguments.of(
            RBAC,
            "ClusterRoleBinding",
            "binding to a Role",
            "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}",
            "FieldValueNotSupported",
            "roleRef.kind"),
        Arguments.of(
            RBAC,
            "RoleBinding",
            "subject of unknown kind",
            "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}\nsubjects: [{kind: Robot, name: r2}]",
            "FieldValueNotSupported",
            "subjects[0].kind"),
        Arguments.of(
            RBAC,
            "ClusterRoleBinding",
            "service account without namespace",
            "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}\nsubjects: [{kind: ServiceAccount, name: sa}]",
            "FieldValueRequired",
            "subjects[0].namespace"),
        Arguments.of(
            "scheduling.k8s.io/v1",
            "PriorityClass",
            "user value too high",
            "metadata: {name: top}\nvalue: 2000000000",
            "FieldValueForbidden",
            "value"),
        Arguments.of(
            "scheduling.k8s.io/v1",
            "PriorityClass",
            "bad preemption policy",
            "metadata: {name: p}\nvalue: 1\npreemptionPolicy: Always",
            "FieldValueNotSupported",
            "preemptionPolicy"),
        Arguments.of(
            "storage.k8s.io/v1",
            "StorageClass",
            "no provisioner",
            "parameters: {}",
            "FieldValueRequired",
            "provisioner"),
        Arguments.of(
            "storage.k8s.io/v1",
            "StorageClass",
            "bad binding mode",
            "provisioner: a/b\nvolumeBindingMode: Later",
            "FieldValueNotSupported",
            "volumeBindingMode"),
        Arguments.of(
            "v1",
            "PersistentVolume",
            "no capacity",
            "spec: {accessModes: [ReadWriteOnce]}",
            "FieldValueRequired",
            "spec.capacity"),
        Arguments.of(
            "v1",
            "PersistentVolume",
            "bad access mode",
            "spec: {accessModes: [ReadEverything], capacity: {storage: 1Gi}}",
            "FieldValueNotSupported",
            "spec.accessModes"),
        Arguments.of(
            "v1",
            "PersistentVolumeClaim",
            "no access modes",
            "spec: {resources: {requests: {storage: 1Gi}}}",
            "FieldValueRequired",
            "spec.accessModes"),
        Arguments.of(
            "v1",
            "PersistentVolumeClaim",
            "no storage request",
            "spec: {accessModes: [ReadWriteOnce]}",
            "FieldValueRequired",
            "spec.resources.requests[storage]"),
        Arguments.of(
            "v1",
            "Endpoints",
            "bad address",
            "subsets: [{addresses: [{ip: not-an-ip}]}]",
            "FieldValueInvalid",
            "subsets[0].addresses[0].ip"),
        Arguments.of(
            "discovery.k8s.io/v1",
            "EndpointSlice",
            "no address type",
            "endpoints: []",
            "FieldValueRequired",
            "addressType"),
        Arguments.of(
            "discovery.k8s.io/v1",
            "EndpointSlice",
            "IPv6 address in IPv4 slice",
            "addressType: IPv4\nendpoints: [{addresses: ['fd00::1']}]",
            "FieldValueInvalid",
            "endpoints[0].addresses[0]"),
        Arguments.of(
            "discovery.k8s.io/v1",
            "EndpointSlice",
            "endpoint without addresses",
            "addressType: IPv4\nendpoints: [{addresses: []}]",
            "FieldValueRequired",
            "endpoints[0].addresses"),
        Arguments.of(
            "networking.k8s.io/v1",
            "Ingress",
            "neither rules nor default backend",
            "spec: {}",
            "FieldValueInvalid",
            "spec.rules"),
        Arguments.of(
            "networking.k8s.io/v1",
            "Ingress",
            "path without pathType",
            "spec: {rules: [{http: {paths: [{path: /, backend: {service: {name: web, port: {number: 80}}}}]}}]}",
            "FieldValueRequired",
            "spec.rules[0].http.paths[0].pathType"),
        Arguments.of(
            "networking.k8s.io/v1",
            "Ingress",
            "relative path",
            "spec: {rules: [{http: {paths: [{path: x, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]}",
            "FieldValueInvalid",
            "spec.rules[0].http.paths[0].path"),
        Arguments.of(
            "networking.k8s.io/v1",
            "Ingress",
            "backend port missing",
            "spec: {defaultBackend: {service: {name: web}}}",
            "FieldValueInvalid",
            "spec.defaultBackend.service.port"),
        Arguments.of(
            "networking.k8s.io/v1",
            "NetworkPolicy",
            "bad policy type",
            "spec: {podSelector: {}, policyTypes: [Sideways]}",
            "FieldValueNotSupported",
            "spec.policyTypes[0]"),
        Arguments.of(
            "networking.k8s.io/v1",
            "NetworkPolicy",
            "bad CIDR",
            "spec: {podSelector: {}, egress: [{to: [{ipBlock: {cidr: 10.0.0.0}}]}]}",
            "FieldValueInvalid",
            "spec.egress[0].to[0].ipBlock.cidr"),
        Arguments.of(
            "v1",
            "Event",
            "no involved object",
            "type: Normal",
            "FieldValueRequired",
            "involvedObject"),
        Arguments.of(
            "v1",
            "Event",
            "bad type",
            "involvedObject: {kind: Pod}\ntype: Fatal",
            "FieldValueNotSupported",
            "type"),
        Arguments.of(
            "policy/v1",
            "PodDisruptionBudget",
            "both min and max",
            "spec: {minAvailable: 1, maxUnavailable: 1}",
            "FieldValueInvalid",
            "spec"),
        Arguments.of(
            "policy/v1",
            "PodDisruptionBudget",
            "percent above 100",
            "spec: {maxUnavailable: 120%}",
            "FieldValueInvalid",
            "spec.maxUnavailable"),
        Arguments.of(
            "autoscaling/v2",
            "HorizontalPodAutoscaler",
            "no target",
            "spec: {maxReplicas: 3}",
            "FieldValueRequired",
            "spec.scaleTargetRef"),
        Arguments.of(
            "autoscaling/v2",
            "HorizontalPodAutoscaler",
            "max below min",
            "spec: {scaleTargetRef: {kind: Deployment, name: web}, minReplicas: 4, maxReplicas: 3}",
            "FieldValueInvalid",
            "spec.maxReplicas"),
        Arguments.of(
            "v1",
            "ResourceQuota",
            "bad quantity",
            "spec: {hard: {pods: many}}",
            "FieldValueInvalid",
            "spec.hard[pods]"),
        Arguments.of(
            "v1",
            "ResourceQuota",
            "unknown resource",
            "spec: {hard: {bananas: '1'}}",
            "FieldValueInvalid",
            "spec.hard[bananas]"),
        Arguments.of(
            "v1",
            "LimitRange",
            "default above max",
            "spec: {limits: [{type: Container, max: {cpu: '1'}, default: {cpu: '2'}}]}",
            "FieldValueInvalid",
            "spec.limits[0].default[cpu]"),
        Arguments.of(
            "v1",
            "LimitRange",
            "bad type",
            "spec: {limits: [{type: Cluster}]}",
            "FieldValueNotSupported",
            "spec.limits[0].type"));
  }

  @ParameterizedTest(name = "{1}: {2}")
  @MethodSource("bad")
  void refusesBadObjects(
      String apiVersion,
      String kind,
      String description,
      String object,
      String type,
      String field) {
    assertHasError(check(apiVersion, kind, object, null), type, field, null);
  }

  @Test
  void keepsARoleBindingsRoleRefFixed() {
    String a = "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: a}";
    String b = "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: b}";
    assertHasError(
        check(RBAC, "RoleBinding", b, a), "FieldValueInvalid", "roleRef", "cannot change roleRef");
  }

  @Test
  void keepsAPriorityClassValueFixed() {
    assertHasError(
        check("scheduling.k8s.io/v1", "PriorityClass", "value: 2", "value: 1"),
        "FieldValueForbidden",
        "value",
        "may not be changed in an update.");
  }

  @Test
  void letsAClaimGrowButNotChangeItsModes() {
    String old = "spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}";
    assertThat(check("v1", "PersistentVolumeClaim", old.replace("1Gi", "2Gi"), old)).isEmpty();
    assertHasError(
        check("v1", "PersistentVolumeClaim", old.replace("ReadWriteOnce", "ReadWriteMany"), old),
        "FieldValueForbidden",
        "spec",
        null);
  }
}
