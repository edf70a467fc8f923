package io.flotilla.api.validation;

import static io.flotilla.api.validation.TestObjects.yaml;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.GroupVersionKind;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bodies of the wrong shape are reported or ignored, never thrown on. */
class MalformedInputTest {

  private static final List<String> KINDS =
      List.of(
          "v1/Pod",
          "v1/PodTemplate",
          "v1/Service",
          "apps/v1/Deployment",
          "apps/v1/ReplicaSet",
          "apps/v1/StatefulSet",
          "apps/v1/DaemonSet",
          "v1/ReplicationController",
          "batch/v1/Job",
          "batch/v1/CronJob",
          "v1/ConfigMap",
          "v1/Secret",
          "v1/Namespace",
          "v1/Node",
          "coordination.k8s.io/v1/Lease",
          "rbac.authorization.k8s.io/v1/Role",
          "rbac.authorization.k8s.io/v1/ClusterRoleBinding",
          "scheduling.k8s.io/v1/PriorityClass",
          "storage.k8s.io/v1/StorageClass",
          "v1/PersistentVolume",
          "v1/PersistentVolumeClaim",
          "v1/Endpoints",
          "discovery.k8s.io/v1/EndpointSlice",
          "networking.k8s.io/v1/Ingress",
          "networking.k8s.io/v1/NetworkPolicy",
          "v1/Event",
          "policy/v1/PodDisruptionBudget",
          "autoscaling/v2/HorizontalPodAutoscaler",
          "v1/ResourceQuota",
          "v1/LimitRange");

  private static final List<String> SHAPES =
      List.of(
          "{}",
          "metadata: 5\nspec: []",
          "spec: 'x'\ndata: [1]\nrules: {}\nsubsets: 7",
          "spec: {containers: [5, null, {name: 7, image: [], ports: 'x', resources: {limits: 3}}]}",
          "spec: {template: {spec: {containers: {}}, metadata: {labels: [1]}}, selector: 'a'}",
          "spec: {ports: [{port: 'http', targetPort: {}}], selector: [], type: 5}",
          "spec: {replicas: 'many', strategy: {rollingUpdate: {maxSurge: [], maxUnavailable: {}}}}",
          "spec: {schedule: 5, jobTemplate: {spec: {template: 3}}, timeZone: 7}",
          "data: {a: 5, b: null}\nbinaryData: {c: 1.5}\ntype: 3",
          "spec: {hard: {cpu: 1e400, memory: true}, limits: [{max: [], type: 2}]}",
          "spec: {volumes: [{name: v, configMap: 5, secret: []}], containers: [{volumeMounts: [7]}]}",
          "metadata: {labels: {a: 5}, annotations: {b: {}}, finalizers: 3, ownerReferences: [1]}");

  static Stream<Arguments> cases() {
    return KINDS.stream()
        .flatMap(
            k -> SHAPES.stream().map(s -> Arguments.of(k.substring(k.lastIndexOf('/') + 1), k, s)));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("cases")
  void neverThrowsOnBodiesOfTheWrongShape(String kind, String key, String shape) {
    GroupVersionKind gvk = GroupVersionKind.of(key.substring(0, key.lastIndexOf('/')), kind);
    ObjectNode object = yaml(shape);
    ObjectNode old = yaml(shape);
    assertThatCode(
            () -> {
              Defaults.apply(gvk, object);
              Validation.validateMetadata(object, true, Validation.nameRule(gvk));
              Validation.validate(gvk, object, null);
              Validation.validate(gvk, object, old);
            })
        .doesNotThrowAnyException();
  }
}
