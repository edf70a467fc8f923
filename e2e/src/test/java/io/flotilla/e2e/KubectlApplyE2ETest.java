package io.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Patches, apply (client- and server-side), edit, diff, rollout and custom resources: the real
 * kubectl against the real jar. kubectl computes its strategic merge patches from the server's
 * OpenAPI v3 schemas here, so these cases also check the merge keys the server publishes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlApplyE2ETest {
  @TempDir static Path dir;
  private FlotillaProcess server;
  private Kubectl kubectl;

  @BeforeAll
  void start() throws Exception {
    server = FlotillaProcess.start(dir.resolve("data"));
    kubectl = new Kubectl(server.kubeconfig());
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static String deployment(String name, String containers) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %s
        spec:
          replicas: 2
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec:
              containers:
        %s
        """
        .formatted(name, name, name, containers.indent(8).stripTrailing());
  }

  private String get(String what, String jsonpath) {
    return kubectl.run("get", what, "-o", "jsonpath=" + jsonpath).assertOk().stdout();
  }

  @Test
  void applyCreatesThenChangesAddsAndRemovesListEntriesThenReapplyIsANoOp() {
    String v1 =
        deployment(
            "web",
            """
            - name: app
              image: busybox:1.36
              env: [{name: A, value: "1"}, {name: B, value: "2"}]
              ports: [{containerPort: 80}, {containerPort: 81}]
            - name: sidecar
              image: busybox:1.36
            """);
    assertThat(kubectl.runWithInput(v1, "apply", "-f", "-").assertOk().stdout())
        .contains("created");
    String v2 =
        deployment(
            "web",
            """
            - name: app
              image: busybox:1.37
              env: [{name: A, value: "10"}, {name: C, value: "3"}]
              ports: [{containerPort: 80}, {containerPort: 8080}]
            - name: logger
              image: busybox:1.36
            """);
    assertThat(kubectl.runWithInput(v2, "apply", "-f", "-").assertOk().stdout())
        .contains("configured");
    assertThat(get("deploy/web", "{.spec.template.spec.containers[*].name}"))
        .isEqualTo("app logger");
    assertThat(get("deploy/web", "{.spec.template.spec.containers[0].image}"))
        .isEqualTo("busybox:1.37");
    assertThat(get("deploy/web", "{.spec.template.spec.containers[0].env[*].name}"))
        .isEqualTo("A C");
    assertThat(get("deploy/web", "{.spec.template.spec.containers[0].env[0].value}"))
        .isEqualTo("10");
    assertThat(get("deploy/web", "{.spec.template.spec.containers[0].ports[*].containerPort}"))
        .isEqualTo("80 8080");
    // The generation, not the resourceVersion: the deployment controller writes status meanwhile.
    String generation = get("deploy/web", "{.metadata.generation}");
    assertThat(kubectl.runWithInput(v2, "apply", "-f", "-").assertOk().stdout())
        .contains("unchanged");
    assertThat(get("deploy/web", "{.metadata.generation}")).isEqualTo(generation);
    assertThat(kubectl.runWithInput(v2, "diff", "-f", "-").exitCode())
        .as("no differences")
        .isZero();
    Kubectl.Result diff =
        kubectl.runWithInput(v2.replace("replicas: 2", "replicas: 4"), "diff", "-f", "-");
    assertThat(diff.exitCode()).as("differences found").isEqualTo(1);
    assertThat(diff.stdout()).contains("-  replicas: 2", "+  replicas: 4");
    assertThat(get("deploy/web", "{.spec.replicas}")).as("diff changes nothing").isEqualTo("2");
  }

  @Test
  void serverSideApplyConflictsWithAnotherManagerUntilForced() {
    String d = deployment("ssa", "- name: app\n  image: busybox:1.36\n");
    kubectl.runWithInput(d, "apply", "--server-side", "-f", "-").assertOk();
    kubectl
        .run(
            "patch",
            "deploy/ssa",
            "--type",
            "merge",
            "-p",
            "{\"spec\":{\"replicas\":5}}",
            "--field-manager",
            "other")
        .assertOk();
    Kubectl.Result conflict =
        kubectl.runWithInput(
            d.replace("replicas: 2", "replicas: 3"), "apply", "--server-side", "-f", "-");
    assertThat(conflict.exitCode()).isNotZero();
    assertThat(conflict.stderr()).contains("conflict", "other", ".spec.replicas");
    kubectl
        .runWithInput(
            d.replace("replicas: 2", "replicas: 3"),
            "apply",
            "--server-side",
            "--force-conflicts",
            "-f",
            "-")
        .assertOk();
    assertThat(get("deploy/ssa", "{.spec.replicas}")).isEqualTo("3");
  }

  @Test
  void patchTakesJsonMergeAndStrategicPatches() {
    kubectl
        .runWithInput(
            deployment("patched", "- name: app\n  image: busybox:1.36\n"), "create", "-f", "-")
        .assertOk();
    kubectl
        .run(
            "patch",
            "deploy/patched",
            "--type",
            "json",
            "-p",
            "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":4}]")
        .assertOk();
    kubectl
        .run(
            "patch",
            "deploy/patched",
            "--type",
            "merge",
            "-p",
            "{\"metadata\":{\"labels\":{\"tier\":\"web\"}}}")
        .assertOk();
    kubectl
        .run(
            "patch",
            "deploy/patched",
            "--type",
            "strategic",
            "-p",
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"extra\",\"image\":\"busybox:1.36\"}]}}}}")
        .assertOk();
    assertThat(get("deploy/patched", "{.spec.replicas}")).isEqualTo("4");
    assertThat(get("deploy/patched", "{.metadata.labels.tier}")).isEqualTo("web");
    assertThat(get("deploy/patched", "{.spec.template.spec.containers[*].name}"))
        .contains("app", "extra");
    Kubectl.Result bad =
        kubectl.run(
            "patch",
            "deploy/patched",
            "--type",
            "json",
            "-p",
            "[{\"op\":\"remove\",\"path\":\"/spec/nothing\"}]");
    assertThat(bad.exitCode()).isNotZero();
  }

  @Test
  void editRunsTheEditorAndSavesItsChange() throws Exception {
    kubectl.run("create", "configmap", "edited", "--from-literal=color=blue").assertOk();
    Path editor = dir.resolve("editor.sh");
    Files.writeString(editor, "#!/bin/sh\nsed -i 's/color: blue/color: green/' \"$1\"\n");
    Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
    kubectl
        .runWithEnv(
            java.util.Map.of("KUBE_EDITOR", editor.toString()), "edit", "configmap", "edited")
        .assertOk();
    assertThat(get("configmap/edited", "{.data.color}")).isEqualTo("green");
  }

  @Test
  void rolloutRestartAndPauseChangeTheTemplateAndSpec() {
    kubectl
        .runWithInput(
            deployment("rolled", "- name: app\n  image: busybox:1.36\n"), "create", "-f", "-")
        .assertOk();
    kubectl.run("rollout", "restart", "deploy/rolled").assertOk();
    assertThat(get("deploy/rolled", "{.spec.template.metadata.annotations}"))
        .contains("kubectl.kubernetes.io/restartedAt");
    kubectl.run("rollout", "pause", "deploy/rolled").assertOk();
    assertThat(get("deploy/rolled", "{.spec.paused}")).isEqualTo("true");
    kubectl.run("rollout", "resume", "deploy/rolled").assertOk();
    assertThat(get("deploy/rolled", "{.spec.paused}")).isIn("", "false");
  }

  private static final String CRD =
      """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: crontabs.stable.example.test}
      spec:
        group: stable.example.test
        scope: Namespaced
        names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct], categories: [all]}
        versions:
        - name: v1
          served: true
          storage: true
          subresources: {status: {}}
          additionalPrinterColumns:
          - {name: Spec, type: string, jsonPath: .spec.cronSpec}
          - {name: Replicas, type: integer, jsonPath: .spec.replicas}
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  required: [cronSpec]
                  properties:
                    cronSpec: {type: string, pattern: '^(\\S+ ){4}\\S+$'}
                    replicas: {type: integer, minimum: 1, maximum: 10}
                status:
                  type: object
                  properties:
                    ready: {type: boolean}
      """;

  @Test
  void aCustomResourceDefinitionServesValidatedObjectsUntilItIsDeleted() {
    kubectl.runWithInput(CRD, "apply", "-f", "-").assertOk();
    kubectl
        .run(
            "wait",
            "--for",
            "condition=established",
            "crd/crontabs.stable.example.test",
            "--timeout=60s")
        .assertOk();
    String good =
        "apiVersion: stable.example.test/v1\nkind: CronTab\nmetadata: {name: nightly}\nspec: {cronSpec: '0 3 * * *', replicas: 2}\n";
    kubectl.runWithInput(good, "create", "-f", "-").assertOk();
    String table = kubectl.run("get", "ct").assertOk().stdout();
    assertThat(table.lines().findFirst().orElseThrow())
        .containsSubsequence("NAME", "SPEC", "REPLICAS");
    assertThat(table).contains("nightly", "0 3 * * *");
    Kubectl.Result bad =
        kubectl.runWithInput(
            good.replace("nightly", "broken").replace("replicas: 2", "replicas: 50"),
            "create",
            "-f",
            "-");
    assertThat(bad.exitCode()).isNotZero();
    assertThat(bad.stderr()).contains("spec.replicas");
    kubectl
        .run(
            "patch",
            "crontab/nightly",
            "--subresource",
            "status",
            "--type",
            "merge",
            "-p",
            "{\"status\":{\"ready\":true}}")
        .assertOk();
    assertThat(get("crontab/nightly", "{.status.ready}")).isEqualTo("true");
    assertThat(kubectl.run("explain", "crontab.spec").assertOk().stdout())
        .contains("cronSpec", "replicas");
    kubectl.run("delete", "crd", "crontabs.stable.example.test", "--timeout=60s").assertOk();
    assertThat(kubectl.run("get", "crd", "-o", "name").assertOk().stdout())
        .doesNotContain("crontabs");
  }
}
