package io.flotilla.api.validation;

import static io.flotilla.api.validation.TestObjects.assertHasError;
import static io.flotilla.api.validation.TestObjects.check;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.FieldError;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodValidationTest {

  private static final String POD =
      """
      metadata: {name: web, namespace: default}
      spec:
        containers:
        - name: app
          image: nginx:1.27
          ports: [{name: http, containerPort: 80}]
          env: [{name: MODE, value: prod}, {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}]
          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: '1', memory: 128Mi}}
          volumeMounts: [{name: cfg, mountPath: /etc/cfg}]
          livenessProbe: {httpGet: {port: http}}
        initContainers: [{name: init, image: busybox}]
        volumes: [{name: cfg, configMap: {name: cfg}}]
        tolerations: [{key: dedicated, operator: Equal, value: web, effect: NoSchedule}]
        nodeSelector: {disk: ssd}
      """;

  /** The base pod with one line replaced (a plain text edit keeps the cases readable). */
  private static String pod(String from, String to) {
    if (!POD.contains(from)) {
      throw new IllegalArgumentException(from);
    }
    return POD.replace(from, to);
  }

  static Stream<Arguments> badPods() {
    return Stream.of(
        Arguments.of(
            "no containers",
            pod("  containers:\n  - name: app", "  containers: []\n  xcontainers:\n  - name: app"),
            "FieldValueRequired",
            "spec.containers"),
        Arguments.of(
            "no image",
            pod("image: nginx:1.27", "image: ''"),
            "FieldValueRequired",
            "spec.containers[0].image"),
        Arguments.of(
            "bad container name",
            pod("name: app", "name: App_1"),
            "FieldValueInvalid",
            "spec.containers[0].name"),
        Arguments.of(
            "container name shared with init",
            pod("name: init", "name: app"),
            "FieldValueDuplicate",
            "spec.containers[0].name"),
        Arguments.of(
            "port too large",
            pod("containerPort: 80", "containerPort: 70000"),
            "FieldValueInvalid",
            "spec.containers[0].ports[0].containerPort"),
        Arguments.of(
            "port missing",
            pod("containerPort: 80", "hostPort: 0"),
            "FieldValueRequired",
            "spec.containers[0].ports[0].containerPort"),
        Arguments.of(
            "bad protocol",
            pod("containerPort: 80}", "containerPort: 80, protocol: HTTP}"),
            "FieldValueNotSupported",
            "spec.containers[0].ports[0].protocol"),
        Arguments.of(
            "bad port name",
            pod("name: http,", "name: HTTP_PORT,"),
            "FieldValueInvalid",
            "spec.containers[0].ports[0].name"),
        Arguments.of(
            "bad restart policy",
            pod("  tolerations:", "  restartPolicy: Sometimes\n  tolerations:"),
            "FieldValueNotSupported",
            "spec.restartPolicy"),
        Arguments.of(
            "bad dns policy",
            pod("  tolerations:", "  dnsPolicy: Google\n  tolerations:"),
            "FieldValueNotSupported",
            "spec.dnsPolicy"),
        Arguments.of(
            "bad pull policy",
            pod("image: nginx:1.27", "image: nginx:1.27\n    imagePullPolicy: Sometimes"),
            "FieldValueNotSupported",
            "spec.containers[0].imagePullPolicy"),
        Arguments.of(
            "malformed quantity",
            pod("cpu: 100m", "cpu: lots"),
            "FieldValueInvalid",
            "spec.containers[0].resources.requests[cpu]"),
        Arguments.of(
            "negative quantity",
            pod("memory: 64Mi", "memory: -64Mi"),
            "FieldValueInvalid",
            "spec.containers[0].resources.requests[memory]"),
        Arguments.of(
            "request above limit",
            pod("cpu: 100m", "cpu: '2'"),
            "FieldValueInvalid",
            "spec.containers[0].resources.requests"),
        Arguments.of(
            "unknown resource",
            pod("cpu: 100m,", "cpu: 100m, gpu: '1',"),
            "FieldValueInvalid",
            "spec.containers[0].resources.requests[gpu]"),
        Arguments.of(
            "duplicate volume",
            pod(
                "volumes: [{name: cfg, configMap: {name: cfg}}]",
                "volumes: [{name: cfg, configMap: {name: cfg}}, {name: cfg, emptyDir: {}}]"),
            "FieldValueDuplicate",
            "spec.volumes[1].name"),
        Arguments.of(
            "two volume sources",
            pod(
                "{name: cfg, configMap: {name: cfg}}",
                "{name: cfg, configMap: {name: cfg}, emptyDir: {}}"),
            "FieldValueForbidden",
            "spec.volumes[0].emptyDir"),
        Arguments.of(
            "bad volume name",
            pod("volumes: [{name: cfg,", "volumes: [{name: Cfg,"),
            "FieldValueInvalid",
            "spec.volumes[0].name"),
        Arguments.of(
            "mount of unknown volume",
            pod("{name: cfg, mountPath", "{name: other, mountPath"),
            "FieldValueNotFound",
            "spec.containers[0].volumeMounts[0].name"),
        Arguments.of(
            "mount without path",
            pod("mountPath: /etc/cfg", "readOnly: true"),
            "FieldValueRequired",
            "spec.containers[0].volumeMounts[0].mountPath"),
        Arguments.of(
            "bad env name",
            pod("name: MODE", "name: 1MODE"),
            "FieldValueInvalid",
            "spec.containers[0].env[0].name"),
        Arguments.of(
            "env value and valueFrom",
            pod("value: prod}", "value: prod, valueFrom: {fieldRef: {fieldPath: x}}}"),
            "FieldValueInvalid",
            "spec.containers[0].env[0].valueFrom"),
        Arguments.of(
            "probe without handler",
            pod("livenessProbe: {httpGet: {port: http}}", "livenessProbe: {periodSeconds: 5}"),
            "FieldValueRequired",
            "spec.containers[0].livenessProbe"),
        Arguments.of(
            "probe with two handlers",
            pod(
                "livenessProbe: {httpGet: {port: http}}",
                "livenessProbe: {httpGet: {port: http}, tcpSocket: {port: 80}}"),
            "FieldValueForbidden",
            "spec.containers[0].livenessProbe.tcpSocket"),
        Arguments.of(
            "liveness success threshold",
            pod(
                "livenessProbe: {httpGet: {port: http}}",
                "livenessProbe: {httpGet: {port: http}, successThreshold: 2}"),
            "FieldValueInvalid",
            "spec.containers[0].livenessProbe.successThreshold"),
        Arguments.of(
            "bad toleration operator",
            pod("operator: Equal", "operator: Like"),
            "FieldValueNotSupported",
            "spec.tolerations[0].operator"),
        Arguments.of(
            "bad toleration effect",
            pod("effect: NoSchedule", "effect: Never"),
            "FieldValueNotSupported",
            "spec.tolerations[0].effect"),
        Arguments.of(
            "bad node selector",
            pod("disk: ssd", "disk: 'not ok'"),
            "FieldValueInvalid",
            "spec.nodeSelector"),
        Arguments.of(
            "zero active deadline",
            pod("  tolerations:", "  activeDeadlineSeconds: 0\n  tolerations:"),
            "FieldValueInvalid",
            "spec.activeDeadlineSeconds"));
  }

  @Test
  void acceptsAValidPod() {
    assertThat(check("v1", "Pod", POD, null)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badPods")
  void refusesBadPods(String description, String pod, String type, String field) {
    assertHasError(check("v1", "Pod", pod, null), type, field, null);
  }

  @Test
  void wordsARequestAboveItsLimitAsUpstream() {
    assertHasError(
        check("v1", "Pod", pod("cpu: 100m", "cpu: '2'"), null),
        "FieldValueInvalid",
        "spec.containers[0].resources.requests",
        "Invalid value: \"2\": must be less than or equal to cpu limit of 1");
  }

  @Test
  void allowsChangingImagesAndAddingTolerations() {
    String updated =
        pod("image: nginx:1.27", "image: nginx:1.28")
            .replace(
                "tolerations: [",
                "tolerations: [{key: extra, operator: Exists, effect: NoExecute, tolerationSeconds: 5}, ");
    assertThat(check("v1", "Pod", updated, POD)).isEmpty();
  }

  @Test
  void forbidsOtherPodChanges() {
    List<FieldError> errors = check("v1", "Pod", pod("disk: ssd", "disk: hdd"), POD);
    assertHasError(
        errors,
        "FieldValueForbidden",
        "spec",
        "pod updates may not change fields other than `spec.containers[*].image`");
    assertThat(errors.get(0).message()).contains("changed: spec.nodeSelector");
  }

  @Test
  void letsTheActiveDeadlineBeSetOrShortenedOnly() {
    String set = POD.replace("  tolerations:", "  activeDeadlineSeconds: 60\n  tolerations:");
    String shorter = POD.replace("  tolerations:", "  activeDeadlineSeconds: 30\n  tolerations:");
    assertThat(check("v1", "Pod", set, POD)).isEmpty();
    assertThat(check("v1", "Pod", shorter, set)).isEmpty();
    assertHasError(check("v1", "Pod", set, shorter), "FieldValueForbidden", "spec", null);
    assertHasError(check("v1", "Pod", POD, set), "FieldValueForbidden", "spec", null);
  }

  @Test
  void forbidsRemovingTolerations() {
    assertHasError(
        check(
            "v1",
            "Pod",
            pod(
                "  tolerations: [{key: dedicated, operator: Equal, value: web, effect: NoSchedule}]\n",
                ""),
            POD),
        "FieldValueForbidden",
        "spec",
        null);
  }

  @Test
  void requiresHostPortsToMatchOnTheHostNetwork() {
    assertHasError(
        check(
            "v1",
            "Pod",
            pod("containerPort: 80}", "containerPort: 80, hostPort: 8080}")
                .replace("  tolerations:", "  hostNetwork: true\n  tolerations:"),
            null),
        "FieldValueInvalid",
        "spec.containers[0].ports[0].containerPort",
        "must match `hostPort`");
  }
}
