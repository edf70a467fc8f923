package io.flotilla.node.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerEnvTest {
  private static final FieldPaths.PodAddresses ADDR =
      new FieldPaths.PodAddresses("10.0.0.5", "192.168.1.2");

  /** ConfigMaps and Secrets from maps: the ObjectSource SPI without an API server. */
  private static ObjectSource objects(Map<String, ConfigMap> cms, Map<String, Secret> secrets) {
    return new ObjectSource() {
      @Override
      public ConfigMap configMap(String namespace, String name) {
        return cms.get(name);
      }

      @Override
      public Secret secret(String namespace, String name) {
        return secrets.get(name);
      }
    };
  }

  private static Pod pod(String containerYaml) {
    return Serialization.unmarshal(
        """
        metadata: {name: p, namespace: ns, uid: u-1, labels: {app: web}, annotations: {team: blue}}
        spec:
          nodeName: n1
          containers:
          """
            + containerYaml.indent(2),
        Pod.class);
  }

  @Test
  void resolvesEveryValueSourceInOrder() {
    Pod pod =
        pod(
            """
            - name: c
              resources: {limits: {memory: 64Mi}, requests: {cpu: 250m}}
              envFrom:
              - {prefix: CM_, configMapRef: {name: cm}}
              - {secretRef: {name: s}}
              env:
              - {name: FIRST, value: one}
              - {name: SECOND, value: "$(FIRST)-two-$(CM_k)"}
              - {name: NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
              - {name: UID, valueFrom: {fieldRef: {fieldPath: metadata.uid}}}
              - {name: APP, valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}}
              - {name: TEAM, valueFrom: {fieldRef: {fieldPath: "metadata.annotations['team']"}}}
              - {name: IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
              - {name: HOST, valueFrom: {fieldRef: {fieldPath: status.hostIP}}}
              - {name: SA, valueFrom: {fieldRef: {fieldPath: spec.serviceAccountName}}}
              - {name: MEM, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}
              - {name: CPU, valueFrom: {resourceFieldRef: {resource: requests.cpu, divisor: 1m}}}
              - {name: CPULIM, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}
              - {name: PASS, valueFrom: {secretKeyRef: {name: s, key: password}}}
              - {name: OPT, valueFrom: {configMapKeyRef: {name: none, key: x, optional: true}}}
            """);
    ConfigMap cm = new ConfigMapBuilder().withData(Map.of("k", "v", "bad name", "skipped")).build();
    Secret s =
        new SecretBuilder()
            .withData(
                Map.of(
                    "password",
                    Base64.getEncoder().encodeToString("hunter2".getBytes(StandardCharsets.UTF_8))))
            .build();
    Map<String, String> env =
        ContainerEnv.resolve(
            pod,
            pod.getSpec().getContainers().getFirst(),
            objects(Map.of("cm", cm), Map.of("s", s)),
            ADDR,
            Map.of("cpu", new Quantity("4")));
    assertThat(env)
        .containsEntry("CM_k", "v")
        .doesNotContainKey("CM_bad name")
        .containsEntry("password", "hunter2")
        .containsEntry("SECOND", "one-two-v")
        .containsEntry("NAME", "p")
        .containsEntry("UID", "u-1")
        .containsEntry("APP", "web")
        .containsEntry("TEAM", "blue")
        .containsEntry("IP", "10.0.0.5")
        .containsEntry("HOST", "192.168.1.2")
        .containsEntry("SA", "default")
        .containsEntry("MEM", "64")
        .containsEntry("CPU", "250")
        .containsEntry("CPULIM", "4")
        .containsEntry("PASS", "hunter2")
        .doesNotContainKey("OPT");
  }

  @Test
  void aMissingKeyOfARequiredConfigMapIsAConfigError() {
    Pod pod =
        pod(
            """
            - name: c
              env:
              - {name: X, valueFrom: {configMapKeyRef: {name: cm, key: nope}}}
            """);
    assertThatThrownBy(
            () ->
                ContainerEnv.resolve(
                    pod,
                    pod.getSpec().getContainers().getFirst(),
                    objects(Map.of("cm", new ConfigMapBuilder().build()), Map.of()),
                    ADDR,
                    Map.of()))
        .isInstanceOf(ConfigError.class)
        .hasMessage("couldn't find key nope in ConfigMap ns/cm");
  }
}
