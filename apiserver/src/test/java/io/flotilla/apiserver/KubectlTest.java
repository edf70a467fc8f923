package io.flotilla.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/** The real kubectl (/usr/bin/kubectl) against the in-process server over plain HTTP. */
@EnabledIf("kubectlInstalled")
class KubectlTest {
  static final Path KUBECTL = Path.of("/usr/bin/kubectl");
  static TestCluster c;
  @TempDir static Path home;
  static Path kubeconfig;

  static boolean kubectlInstalled() {
    return Files.isExecutable(KUBECTL);
  }

  @BeforeAll
  static void start() throws Exception {
    c = new TestCluster();
    kubeconfig = home.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: flotilla
          cluster:
            server: %s
        contexts:
        - name: flotilla
          context:
            cluster: flotilla
            user: me
            namespace: default
        current-context: flotilla
        users:
        - name: me
          user: {}
        """
            .formatted(c.url()));
  }

  @AfterAll
  static void stop() {
    c.close();
  }

  record Result(int exit, String out, String err) {}

  static ProcessBuilder command(String... args) {
    List<String> cmd =
        new ArrayList<>(List.of(KUBECTL.toString(), "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("HOME", home.toString());
    pb.environment().put("KUBECACHEDIR", home.resolve("cache").toString());
    pb.environment().remove("KUBECONFIG");
    return pb;
  }

  static Result kubectl(String... args) throws IOException, InterruptedException {
    Process p = command(args).redirectErrorStream(false).start();
    p.getOutputStream().close();
    var out = p.getInputStream().readAllBytes();
    var err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("kubectl finished").isTrue();
    return new Result(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
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
