package io.flotilla.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.apiserver.KubectlFixture.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/** The real kubectl (/usr/bin/kubectl) against the in-process server over plain HTTP. */
@EnabledIf("io.flotilla.apiserver.KubectlFixture#installed")
class KubectlTest {
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

  static ProcessBuilder command(String... args) {
    return fixture.command(args);
  }

  static Result kubectl(String... args) throws IOException, InterruptedException {
    return fixture.run(args);
  }

  @Test
  void createsGetsLabelsAndDeletesFromAManifest() throws Exception {
    Path manifest = home.resolve("cm.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: from-kubectl
        data:
          greeting: hello
        """);
    Result created = kubectl("create", "-f", manifest.toString(), "--validate=false");
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out()).contains("configmap/from-kubectl created");

    Result get = kubectl("get", "configmaps");
    assertThat(get.exit()).as(get.err()).isZero();
    assertThat(get.out()).contains("NAME").contains("from-kubectl");

    Result yaml = kubectl("get", "configmap", "from-kubectl", "-o", "yaml");
    assertThat(yaml.out()).contains("greeting: hello").contains("resourceVersion:");

    Result label = kubectl("label", "configmap", "from-kubectl", "tier=web");
    assertThat(label.exit()).as(label.err()).isZero();
    assertThat(kubectl("get", "configmaps", "-l", "tier=web", "-o", "name").out().trim())
        .isEqualTo("configmap/from-kubectl");

    Result missing = kubectl("get", "configmap", "nope");
    assertThat(missing.exit()).isNotZero();
    assertThat(missing.err()).contains("configmaps \"nope\" not found");

    Result deleted = kubectl("delete", "configmap", "from-kubectl");
    assertThat(deleted.exit()).as(deleted.err()).isZero();
    assertThat(deleted.out()).contains("deleted");
    assertThat(kubectl("get", "configmap", "from-kubectl").exit()).isNotZero();
  }

  @Test
  void printsTheServersPodColumns() throws Exception {
    c.send(
        "POST",
        "/api/v1/namespaces/default/pods",
        "{\"metadata\":{\"name\":\"printed\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}");
    Result r = kubectl("get", "pods", "-o", "wide");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("READY").contains("STATUS").contains("NODE");
    assertThat(r.out()).containsPattern("printed\\s+0/1\\s+Pending");
  }

  @Test
  void listsApiResourcesFromDiscovery() throws Exception {
    Result r = kubectl("api-resources");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("configmaps").contains("namespaces").contains("deployments");
    assertThat(r.out()).containsPattern("namespaces\\s+ns\\s+v1\\s+false\\s+Namespace");
  }

  @Test
  void watchesWithGetW() throws Exception {
    Process p = command("get", "configmaps", "-w", "--namespace", "kube-public").start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                  lines.add(l);
                }
              } catch (IOException e) {
                // the process was stopped
              }
            });
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> c.server.metrics().scrape().length > 0 && watching());
      c.send(
          "POST",
          "/api/v1/namespaces/kube-public/configmaps",
          TestCluster.configMap("watched", ""));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> lines.stream().anyMatch(l -> l.startsWith("watched")));
    } finally {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static boolean watching() {
    String m = new String(c.server.metrics().scrape(), StandardCharsets.UTF_8);
    return m.contains("apiserver_longrunning_requests{resource=\"configmaps\",verb=\"WATCH\"} 1");
  }
}
