package io.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The real kubectl against the real jar, over HTTPS with the admin client certificate. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlE2ETest {
  @TempDir static Path dir;
  private FlotillaProcess server;
  private Kubectl kubectl;

  @BeforeAll
  void startServer() throws Exception {
    server = FlotillaProcess.start(dir.resolve("data"));
    kubectl = new Kubectl(server.kubeconfig());
  }

  @AfterAll
  void stopServer() throws Exception {
    if (server != null) {
      assertThat(server.stop()).as("exit code after SIGTERM").isIn(0, 143);
    }
  }

  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        labels: {app: web}
      spec:
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - name: c
              image: busybox:1.36
              ports: [{containerPort: 80}]
      """;

  @Test
  void metricsServeTheApiServersAndTheInProcessControllersFigures() {
    // The serviceaccount controller has namespaces to look at from the first start.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(kubectl.run("get", "--raw", "/metrics").assertOk().stdout())
                    .contains("apiserver_request_total")
                    .contains("workqueue_depth{name=\"serviceaccount\"}")
                    .contains("controller_runtime_reconcile_time_seconds"));
  }

  @Test
  void getPrintsServerSideTablesForNamespaces() {
    String out = kubectl.run("get", "namespaces").assertOk().stdout();
    assertThat(out.lines().findFirst().orElseThrow()).containsSubsequence("NAME", "STATUS", "AGE");
    assertThat(out).contains("default", "kube-system", "kube-public", "kube-node-lease", "Active");
  }

  @Test
  void createFromAFileThenGetWideAndYaml() {
    kubectl.runWithInput(DEPLOYMENT, "create", "-f", "-", "-n", "default").assertOk();
    String wide = kubectl.run("get", "deployments", "-o", "wide").assertOk().stdout();
    assertThat(wide.lines().findFirst().orElseThrow())
        .containsSubsequence(
            "NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR");
    assertThat(wide).contains("web", "busybox:1.36", "app=web");
    String yaml = kubectl.run("get", "deployment", "web", "-o", "yaml").assertOk().stdout();
    assertThat(yaml).contains("uid:", "resourceVersion:", "generation: 1", "creationTimestamp:");
    kubectl.run("delete", "deployment", "web").assertOk();
  }

  @Test
  void createConfigMapAndSecretSendProtobufBodies() {
    kubectl.run("create", "configmap", "settings", "--from-literal=color=blue").assertOk();
    kubectl
        .run("create", "secret", "generic", "creds", "--from-literal=password=s3cret")
        .assertOk();
    assertThat(
            kubectl
                .run("get", "configmap", "settings", "-o", "jsonpath={.data.color}")
                .assertOk()
                .stdout())
        .isEqualTo("blue");
    assertThat(
            kubectl
                .run("get", "secret", "creds", "-o", "jsonpath={.data.password}")
                .assertOk()
                .stdout())
        .isEqualTo("czNjcmV0");
    String secrets = kubectl.run("get", "secrets").assertOk().stdout();
    assertThat(secrets).contains("creds", "Opaque");
  }

  @Test
  void labelAndAnnotateChangeTheObject() {
    kubectl.run("create", "configmap", "tagged", "--from-literal=a=b").assertOk();
    kubectl.run("label", "configmap", "tagged", "tier=backend").assertOk();
    kubectl.run("annotate", "configmap", "tagged", "owner=team-a").assertOk();
    assertThat(
            kubectl
                .run("get", "configmaps", "-l", "tier=backend", "-o", "name")
                .assertOk()
                .stdout()
                .trim())
        .isEqualTo("configmap/tagged");
    assertThat(
            kubectl
                .run("get", "configmap", "tagged", "-o", "jsonpath={.metadata.annotations.owner}")
                .assertOk()
                .stdout())
        .isEqualTo("team-a");
  }

  @Test
  void describeShowsTheObject() {
    kubectl.run("create", "configmap", "described", "--from-literal=key=value").assertOk();
    String out = kubectl.run("describe", "configmap", "described").assertOk().stdout();
    assertThat(out).contains("Name:", "described", "Namespace:", "default", "key", "value");
  }

  @Test
  void getWatchStreamsChangesAsTheyHappen() throws Exception {
    Path out = dir.resolve("watch.txt");
    Process watch = kubectl.start(out, "get", "configmaps", "-w", "--output-watch-events");
    try {
      // Whether the create lands before kubectl's list or after it, the list+watch shows it.
      kubectl.run("create", "configmap", "watched", "--from-literal=a=1").assertOk();
      kubectl.run("delete", "configmap", "watched").assertOk();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(Files.readString(out))
                      .contains("ADDED", "watched")
                      .contains("DELETED"));
    } finally {
      watch.destroy();
    }
  }

  @Test
  void waitForDeleteReturnsOnceTheObjectIsGone() {
    kubectl.run("create", "configmap", "doomed", "--from-literal=a=1").assertOk();
    kubectl.run("delete", "configmap", "doomed", "--wait=false").assertOk();
    kubectl.run("wait", "--for=delete", "configmap/doomed", "--timeout=30s").assertOk();
    assertThat(kubectl.run("get", "configmap", "doomed").exitCode()).isNotZero();
  }

  @Test
  void apiResourcesListsTheBuiltInKinds() {
    String out = kubectl.run("api-resources").assertOk().stdout();
    assertThat(out)
        .contains("pods", "po", "deployments", "deploy", "apps/v1", "horizontalpodautoscalers")
        .contains("customresourcedefinitions", "leases", "endpointslices", "priorityclasses");
  }

  @Test
  void explainDescribesFieldsFromOpenApiV3() {
    String out = kubectl.run("explain", "deployment.spec.strategy").assertOk().stdout();
    assertThat(out).contains("KIND:", "Deployment", "FIELD:", "strategy", "rollingUpdate");
  }

  @Test
  void authCanIAnswersForTheAdmin() {
    assertThat(kubectl.run("auth", "can-i", "create", "pods").assertOk().stdout().trim())
        .isEqualTo("yes");
  }

  @Test
  void invalidObjectsAreRejectedWithTheFieldNamed() {
    Kubectl.Result r =
        kubectl.runWithInput(
            DEPLOYMENT.replace("replicas: 2", "replicas: -1").replace("name: web", "name: bad"),
            "create",
            "-f",
            "-");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("is invalid", "spec.replicas");
    Kubectl.Result unknown =
        kubectl.runWithInput(
            DEPLOYMENT
                .replace("image: busybox", "imagee: busybox")
                .replace("name: web", "name: bad"),
            "create",
            "-f",
            "-");
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.stderr()).contains("unknown field", "imagee");
    assertThat(kubectl.run("get", "deployments", "-o", "name").assertOk().stdout())
        .doesNotContain("deployment.apps/bad");
  }

  @Test
  void requestsWithoutAClientCertificateAreRefused() throws Exception {
    Path empty = dir.resolve("empty.kubeconfig");
    Files.writeString(empty, "apiVersion: v1\nkind: Config\n");
    Kubectl.Result r =
        new Kubectl(empty)
            .run(
                "--server=https://127.0.0.1:" + server.port(),
                "--certificate-authority=" + server.dataDir().resolve("pki/ca.crt"),
                "--token=not-a-valid-token",
                "get",
                "namespaces");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("You must be logged in to the server");
  }
}
