package io.flotilla.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flotilla.apiserver.KubectlFixture.Result;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/** Server-side apply through the real kubectl, the fabric8 client and plain HTTP. */
class ServerSideApplyTest {
  static TestCluster c;
  @TempDir static Path home;
  static Path kubeconfig;
  static KubectlFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    c = new TestCluster();
    fixture = new KubectlFixture(home, c.url());
    kubeconfig = fixture.kubeconfig();
  }

  @AfterAll
  static void stop() {
    c.close();
  }

  static Result kubectl(String... args) throws IOException, InterruptedException {
    return fixture.run(args);
  }

  static Path deployment(String name, int replicas) throws IOException {
    Path f = home.resolve(name + "-" + replicas + ".yaml");
    Files.writeString(
        f,
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %s
        spec:
          replicas: %d
          selector:
            matchLabels: {app: %s}
          template:
            metadata:
              labels: {app: %s}
            spec:
              containers:
              - name: web
                image: nginx:1.27
        """
            .formatted(name, replicas, name, name));
    return f;
  }

  private static String resourceVersion(String name) throws Exception {
    return kubectl("get", "deployment", name, "-o", "jsonpath={.metadata.resourceVersion}").out();
  }

  @Test
  @EnabledIf("io.flotilla.apiserver.KubectlFixture#installed")
  void kubectlServerSideApplyCreatesThenReapplyingChangesNothing() throws Exception {
    Result created =
        kubectl(
            "apply", "--validate=false", "--server-side", "-f", deployment("ssa1", 2).toString());
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out()).contains("deployment.apps/ssa1 serverside-applied");
    String rv = resourceVersion("ssa1");
    String before =
        kubectl("get", "deployment", "ssa1", "-o", "yaml", "--show-managed-fields").out();

    Result again =
        kubectl(
            "apply", "--validate=false", "--server-side", "-f", deployment("ssa1", 2).toString());

    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(kubectl("get", "deployment", "ssa1", "-o", "yaml", "--show-managed-fields").out())
        .isEqualTo(before);
    assertThat(resourceVersion("ssa1")).isEqualTo(rv);
    Result shown = kubectl("get", "deployment", "ssa1", "-o", "yaml", "--show-managed-fields");
    assertThat(shown.out())
        .contains("managedFields:")
        .contains("manager: kubectl")
        .contains("operation: Apply")
        .contains("f:replicas: {}")
        .contains("k:{\"name\":\"web\"}:");
    assertThat(kubectl("get", "deployment", "ssa1", "-o", "yaml").out())
        .doesNotContain("managedFields");
  }

  @Test
  @EnabledIf("io.flotilla.apiserver.KubectlFixture#installed")
  void anotherManagersReplicasConflictUntilForced() throws Exception {
    assertThat(
            kubectl(
                    "apply",
                    "--validate=false",
                    "--server-side",
                    "-f",
                    deployment("ssa2", 2).toString())
                .exit())
        .isZero();
    Result scaled = kubectl("scale", "deployment", "ssa2", "--replicas=5");
    assertThat(scaled.exit()).as(scaled.err()).isZero();

    Result conflict =
        kubectl(
            "apply", "--validate=false", "--server-side", "-f", deployment("ssa2", 3).toString());

    assertThat(conflict.exit()).isNotZero();
    assertThat(conflict.err())
        .contains("Apply failed with 1 conflict: conflict with \"kubectl")
        .contains("with subresource \"scale\" using apps/v1: .spec.replicas");
    assertThat(kubectl("get", "deployment", "ssa2", "-o", "jsonpath={.spec.replicas}").out())
        .isEqualTo("5");

    Result forced =
        kubectl(
            "apply",
            "--validate=false",
            "--server-side",
            "--force-conflicts",
            "-f",
            deployment("ssa2", 3).toString());

    assertThat(forced.exit()).as(forced.err()).isZero();
    JsonNode obj = c.json(c.send("GET", "/apis/apps/v1/namespaces/default/deployments/ssa2", null));
    assertThat(obj.at("/spec/replicas").asInt()).isEqualTo(3);
    JsonNode managed = obj.at("/metadata/managedFields");
    assertThat(managed).hasSize(1);
    assertThat(managed.get(0).path("manager").asText()).isEqualTo("kubectl");
    assertThat(managed.get(0).at("/fieldsV1/f:spec/f:replicas").isObject()).isTrue();
  }

  @Test
  @EnabledIf("io.flotilla.apiserver.KubectlFixture#installed")
  void aClientSideCreateThenAConflictingApplyNamesTheUpdater() throws Exception {
    Result created = kubectl("create", "--validate=false", "-f", deployment("ssa3", 2).toString());
    assertThat(created.exit()).as(created.err()).isZero();
    Result patched = kubectl("patch", "deployment", "ssa3", "-p", "{\"spec\":{\"replicas\":4}}");
    assertThat(patched.exit()).as(patched.err()).isZero();

    Result conflict =
        kubectl(
            "apply", "--validate=false", "--server-side", "-f", deployment("ssa3", 3).toString());

    assertThat(conflict.exit()).isNotZero();
    assertThat(conflict.err())
        .contains("conflict with \"kubectl-patch\" using apps/v1: .spec.replicas");
  }

  @Test
  void aConflictAnswers409WithOneCausePerField() throws Exception {
    String path = "/apis/apps/v1/namespaces/default/deployments/ssa4";
    String body = Files.readString(deployment("ssa4", 2));
    HttpResponse<String> created =
        c.send(
            "PATCH",
            path + "?fieldManager=ci",
            body,
            "Content-Type",
            "application/apply-patch+yaml");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    HttpResponse<String> scaled =
        c.send(
            "PATCH",
            path + "?fieldManager=hpa",
            "{\"spec\":{\"replicas\":7}}",
            "Content-Type",
            "application/merge-patch+json");
    assertThat(scaled.statusCode()).as(scaled.body()).isEqualTo(200);
    assertThat(c.json(scaled).at("/metadata/managedFields").findValuesAsText("manager"))
        .containsExactly("ci", "hpa");

    HttpResponse<String> conflict =
        c.send(
            "PATCH",
            path + "?fieldManager=ci",
            Files.readString(deployment("ssa4", 3)),
            "Content-Type",
            "application/apply-patch+yaml");

    assertThat(conflict.statusCode()).isEqualTo(409);
    JsonNode status = c.json(conflict);
    assertThat(status.path("reason").asText()).isEqualTo("Conflict");
    assertThat(status.path("message").asText())
        .isEqualTo(
            "Apply failed with 1 conflict: conflict with \"hpa\" using apps/v1: .spec.replicas");
    JsonNode cause = status.at("/details/causes/0");
    assertThat(cause.path("reason").asText()).isEqualTo("FieldManagerConflict");
    assertThat(cause.path("message").asText()).isEqualTo("conflict with \"hpa\" using apps/v1");
    assertThat(cause.path("field").asText()).isEqualTo(".spec.replicas");
  }

  @Test
  void applyWithoutAFieldManagerIsRefusedAndDryRunWritesNothing() throws Exception {
    String path = "/api/v1/namespaces/default/configmaps/ssa5";
    String cm = TestCluster.configMap("ssa5", "\"a\":\"b\"");

    HttpResponse<String> missing =
        c.send("PATCH", path, cm, "Content-Type", "application/apply-patch+yaml");
    HttpResponse<String> dry =
        c.send(
            "PATCH",
            path + "?fieldManager=ci&dryRun=All",
            cm,
            "Content-Type",
            "application/apply-patch+yaml");

    assertThat(missing.statusCode()).isEqualTo(422);
    assertThat(c.json(missing).path("message").asText())
        .contains("fieldManager: Required value: is required for apply patch");
    assertThat(dry.statusCode()).as(dry.body()).isEqualTo(201);
    assertThat(c.json(dry).at("/metadata/managedFields/0/manager").asText()).isEqualTo("ci");
    assertThat(c.send("GET", path, null).statusCode()).isEqualTo(404);
  }

  @Test
  void updatesRecordTheirManagerFromTheUserAgentAndAnEmptyListResetsThem() throws Exception {
    String path = "/api/v1/namespaces/default/configmaps/ssa6";
    HttpResponse<String> created =
        c.send(
            "POST",
            "/api/v1/namespaces/default/configmaps",
            TestCluster.configMap("ssa6", "\"a\":\"b\""),
            "User-Agent",
            "my-tool/1.0 (linux)");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode entry = c.json(created).at("/metadata/managedFields/0");
    assertThat(entry.path("manager").asText()).isEqualTo("my-tool");
    assertThat(entry.path("operation").asText()).isEqualTo("Update");
    assertThat(entry.path("fieldsType").asText()).isEqualTo("FieldsV1");
    assertThat(entry.at("/fieldsV1/f:data/f:k").isObject()).isTrue();

    HttpResponse<String> reset =
        c.send(
            "PATCH",
            path,
            "{\"metadata\":{\"managedFields\":[]}}",
            "Content-Type",
            "application/merge-patch+json");

    assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
    assertThat(c.json(reset).at("/metadata").has("managedFields")).isFalse();
  }

  @Test
  void fabric8ServerSideApplyCreatesAndForceTakesOwnership() {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(c.url())
            .withNamespace("default")
            .withRequestRetryBackoffLimit(0)
            .build();
    try (KubernetesClient k = new KubernetesClientBuilder().withConfig(config).build()) {
      ConfigMap cm =
          new ConfigMapBuilder()
              .withNewMetadata()
              .withName("ssa7")
              .endMetadata()
              .withData(Map.of("k", "v1"))
              .build();
      ConfigMap created = k.configMaps().resource(cm).fieldManager("app").serverSideApply();
      assertThat(created.getMetadata().getManagedFields().get(0).getManager()).isEqualTo("app");
      k.configMaps()
          .withName("ssa7")
          .edit(x -> new ConfigMapBuilder(x).addToData("k", "v2").build());
      cm.setData(Map.of("k", "v3"));

      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> k.configMaps().resource(cm).fieldManager("app").serverSideApply())
          .isInstanceOf(KubernetesClientException.class)
          .extracting(e -> ((KubernetesClientException) e).getCode())
          .isEqualTo(409);
      ConfigMap forced =
          k.configMaps().resource(cm).fieldManager("app").forceConflicts().serverSideApply();

      assertThat(forced.getData()).containsEntry("k", "v3");
      assertThat(forced.getMetadata().getManagedFields())
          .allSatisfy(e -> assertThat(e.getFieldsV1().getAdditionalProperties()).isNotEmpty())
          .extracting(e -> e.getManager())
          .contains("app");
    }
  }

  @Test
  void applyingStatusThroughItsSubresourceOwnsOnlyStatus() throws Exception {
    String path = "/apis/apps/v1/namespaces/default/deployments/ssa8";
    HttpResponse<String> created =
        c.send(
            "PATCH",
            path + "?fieldManager=ci",
            Files.readString(deployment("ssa8", 2)),
            "Content-Type",
            "application/apply-patch+yaml");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

    HttpResponse<String> status =
        c.send(
            "PATCH",
            path + "/status?fieldManager=controller",
            "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"ssa8\"},"
                + "\"spec\":{\"replicas\":9},\"status\":{\"replicas\":1}}",
            "Content-Type",
            "application/apply-patch+yaml");

    assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
    JsonNode obj = c.json(status);
    assertThat(obj.at("/status/replicas").asInt()).isEqualTo(1);
    assertThat(obj.at("/spec/replicas").asInt()).isEqualTo(2);
    JsonNode entry = null;
    for (JsonNode e : obj.at("/metadata/managedFields")) {
      if (e.path("manager").asText().equals("controller")) {
        entry = e;
      }
    }
    assertThat(entry).isNotNull();
    assertThat(entry.path("operation").asText()).isEqualTo("Apply");
    assertThat(entry.path("subresource").asText()).isEqualTo("status");
    assertThat(entry.path("fieldsV1").toString()).isEqualTo("{\"f:status\":{\"f:replicas\":{}}}");
  }

  @Test
  void aFieldManagerLongerThan128BytesIsRefused() throws Exception {
    HttpResponse<String> r =
        c.send(
            "PATCH",
            "/api/v1/namespaces/default/configmaps/ssa9?fieldManager=" + "m".repeat(129),
            TestCluster.configMap("ssa9", ""),
            "Content-Type",
            "application/apply-patch+yaml");

    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(c.json(r).at("/details/causes/0/field").asText()).isEqualTo("fieldManager");
  }

  @Test
  void anApplyConfigurationCarryingManagedFieldsIsRefused() throws Exception {
    String body =
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"ssa11\","
            + "\"managedFields\":[]}}";

    HttpResponse<String> r =
        c.send(
            "PATCH",
            "/api/v1/namespaces/default/configmaps/ssa11?fieldManager=ci",
            body,
            "Content-Type",
            "application/apply-patch+yaml");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(c.json(r).path("message").asText()).isEqualTo("metadata.managedFields must be nil");
  }

  @Test
  @EnabledIf("io.flotilla.apiserver.KubectlFixture#installed")
  void aServerSideApplyAfterAClientSideApplyKeepsTheLastAppliedAnnotationInStep() throws Exception {
    Result client = kubectl("apply", "--validate=false", "-f", deployment("ssa10", 2).toString());
    assertThat(client.exit()).as(client.err()).isZero();

    Result server =
        kubectl(
            "apply", "--validate=false", "--server-side", "-f", deployment("ssa10", 2).toString());

    assertThat(server.exit()).as(server.err()).isZero();
    JsonNode obj =
        c.json(c.send("GET", "/apis/apps/v1/namespaces/default/deployments/ssa10", null));
    JsonNode last =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(
                obj.at("/metadata/annotations")
                    .path("kubectl.kubernetes.io/last-applied-configuration")
                    .asText());
    assertThat(last.at("/spec/replicas").asInt()).isEqualTo(2);
    // kubectl migrates client-side apply's entry into its own Apply entry with a JSON patch.
    assertThat(obj.at("/metadata/managedFields").findValuesAsText("manager"))
        .containsExactlyInAnyOrder("kubectl", "kubectl-last-applied");
  }
}
