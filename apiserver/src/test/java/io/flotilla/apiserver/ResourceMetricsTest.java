package io.flotilla.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.apiserver.kubelet.KubeletClient;
import io.flotilla.apiserver.security.ClusterPki;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** metrics.k8s.io/v1beta1 built from kubelet summaries, as kubectl top reads it. */
class ResourceMetricsTest {
  @TempDir Path tmp;
  private KubeletFixture kubelet;
  private TestCluster c;

  @BeforeEach
  void start() throws Exception {
    ClusterPki pki = ClusterPki.loadOrCreate(tmp.resolve("cluster"), List.of(), Clock.systemUTC());
    kubelet = new KubeletFixture(pki, tmp.resolve("kubelet"));
    String now = Instant.now().toString();
    kubelet.summary =
        () ->
            """
            {"node":{"nodeName":"n1",
               "cpu":{"time":"%1$s","usageNanoCores":250000000,"usageCoreNanoSeconds":9000000000},
               "memory":{"time":"%1$s","workingSetBytes":2147483648,"usageBytes":3000000000}},
             "pods":[
              {"podRef":{"name":"web","namespace":"default","uid":"u1"},
               "cpu":{"time":"%1$s","usageNanoCores":120000000},
               "memory":{"time":"%1$s","workingSetBytes":31457280},
               "containers":[
                 {"name":"app","cpu":{"time":"%1$s","usageNanoCores":100000000},
                  "memory":{"time":"%1$s","workingSetBytes":20971520}},
                 {"name":"sidecar","cpu":{"time":"%1$s","usageNanoCores":20000000},
                  "memory":{"time":"%1$s","workingSetBytes":10485760}}]},
              {"podRef":{"name":"db","namespace":"other","uid":"u2"},
               "containers":[
                 {"name":"db","cpu":{"time":"%1$s","usageNanoCores":5000000},
                  "memory":{"time":"%1$s","workingSetBytes":1048576}}]},
              {"podRef":{"name":"unknown","namespace":"default","uid":"u3"},
               "containers":[
                 {"name":"x","cpu":{"time":"%1$s","usageNanoCores":1},
                  "memory":{"time":"%1$s","workingSetBytes":1}}]}]}
            """
                .formatted(now);
    c = new TestCluster(b -> b.kubeletClient(KubeletClient.create(pki.kubeletClient())));
    KubeletProxyTest.createNode(c, "n1", kubelet.port());
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    KubeletProxyTest.createNode(c, "silent", closed);
    KubeletProxyTest.createPod(c, "web", "n1", "", "app", "sidecar");
    c.send(
        "POST",
        "/api/v1/namespaces",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"other\"}}");
    var db =
        c.send(
            "POST",
            "/api/v1/namespaces/other/pods",
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"db\"},"
                + "\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"db\",\"image\":\"x\"}]}}");
    assertThat(db.statusCode()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    c.close();
    kubelet.close();
  }

  @Test
  void nodeMetricsListTheNodesWhoseKubeletAnswered() throws Exception {
    JsonNode list = c.json(c.send("GET", "/apis/metrics.k8s.io/v1beta1/nodes", null));

    assertThat(list.path("kind").asText()).isEqualTo("NodeMetricsList");
    assertThat(list.path("items")).hasSize(1);
    JsonNode n1 = list.path("items").get(0);
    assertThat(n1.path("metadata").path("name").asText()).isEqualTo("n1");
    assertThat(n1.path("metadata").path("labels").path("role").asText()).isEqualTo("worker");
    assertThat(n1.path("usage").path("cpu").asText()).isEqualTo("250000000n");
    assertThat(n1.path("usage").path("memory").asText()).isEqualTo("2097152Ki");
    assertThat(n1.path("window").asText()).isEqualTo("10s");
    assertThat(kubelet.requests.getLast().clientSubject())
        .contains("CN=kube-apiserver-kubelet-client");
    assertThat(c.send("GET", "/apis/metrics.k8s.io/v1beta1/nodes/silent", null).statusCode())
        .isEqualTo(404);
    assertThat(
            c.send("GET", "/apis/metrics.k8s.io/v1beta1/nodes?labelSelector=role%3Dnone", null)
                .body())
        .contains("\"items\":[]");
  }

  @Test
  void podMetricsListPodsTheStoreKnowsPerNamespaceAndByName() throws Exception {
    JsonNode all = c.json(c.send("GET", "/apis/metrics.k8s.io/v1beta1/pods", null));
    JsonNode inDefault =
        c.json(c.send("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods", null));
    JsonNode byName =
        c.json(
            c.send(
                "GET",
                "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?fieldSelector="
                    + "metadata.name%3Dweb",
                null));
    JsonNode web =
        c.json(c.send("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web", null));

    assertThat(all.path("items")).hasSize(2);
    assertThat(inDefault.path("items")).hasSize(1);
    assertThat(byName.path("items")).hasSize(1);
    assertThat(web.path("kind").asText()).isEqualTo("PodMetrics");
    assertThat(web.path("metadata").path("namespace").asText()).isEqualTo("default");
    assertThat(web.path("containers").findValuesAsText("name")).containsExactly("app", "sidecar");
    assertThat(web.path("containers").get(0).path("usage").path("cpu").asText())
        .isEqualTo("100000000n");
    assertThat(web.path("containers").get(0).path("usage").path("memory").asText())
        .isEqualTo("20480Ki");
    assertThat(
            c.send("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/unknown", null)
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void theFabric8TopApiReadsNodeAndPodMetrics() throws Exception {
    try (var k =
        new io.fabric8.kubernetes.client.KubernetesClientBuilder()
            .withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder(
                        io.fabric8.kubernetes.client.Config.empty())
                    .withMasterUrl(c.url())
                    .withNamespace("default")
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build()) {
      var nodes = k.top().nodes().metrics().getItems();
      var pods = k.top().pods().metrics("default").getItems();

      assertThat(nodes).hasSize(1);
      assertThat(nodes.getFirst().getUsage().get("cpu").getNumericalAmount())
          .isEqualByComparingTo("0.25");
      assertThat(pods).hasSize(1);
      assertThat(pods.getFirst().getContainers()).hasSize(2);
    }
  }

  @Test
  void discoveryListsMetricsInBothForms() throws Exception {
    String groups = c.send("GET", "/apis", null).body();
    JsonNode resources = c.json(c.send("GET", "/apis/metrics.k8s.io/v1beta1", null));
    String aggregated =
        c.send(
                "GET",
                "/apis",
                null,
                "Accept",
                "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
            .body();

    assertThat(groups).contains("\"groupVersion\":\"metrics.k8s.io/v1beta1\"");
    assertThat(resources.path("resources").findValuesAsText("name"))
        .containsExactly("nodes", "pods");
    assertThat(resources.path("resources").findValuesAsText("kind"))
        .containsExactly("NodeMetrics", "PodMetrics");
    assertThat(aggregated).contains("\"name\":\"metrics.k8s.io\"").contains("PodMetrics");
  }

  @Test
  void kubectlTopPrintsNodeAndPodFigures() throws Exception {
    assumeTrue(KubectlFixture.installed(), "kubectl is not installed");
    KubectlFixture kubectl =
        new KubectlFixture(java.nio.file.Files.createDirectories(tmp.resolve("home")), c.url());

    KubectlFixture.Result nodes = kubectl.run("top", "node");
    KubectlFixture.Result pods = kubectl.run("top", "pod");
    KubectlFixture.Result containers = kubectl.run("top", "pod", "web", "--containers");

    assertThat(nodes.exit()).as(nodes.err()).isZero();
    assertThat(nodes.out()).containsPattern("n1\\s+250m\\s+6%\\s+2048Mi\\s+25%");
    assertThat(pods.exit()).as(pods.err()).isZero();
    assertThat(pods.out()).containsPattern("web\\s+120m\\s+30Mi");
    assertThat(containers.out()).containsPattern("web\\s+sidecar\\s+20m\\s+10Mi");
  }
}
