package io.flotilla.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.flotilla.api.KindRegistry;
import io.flotilla.apiserver.discovery.OpenApiHandler;
import io.flotilla.store.rocksdb.RocksDbStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CRD validation, and serving the stored CRDs again after a restart. */
class CrdLifecycleTest {
  static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  static final String WIDGETS = "/apis/stable.example.com/v1/namespaces/default/widgets";
  final HttpClient http = HttpClient.newHttpClient();

  static String crdJson() throws Exception {
    return TestCluster.JSON.writeValueAsString(new YAMLMapper().readTree(Widgets.CRD));
  }

  @Test
  void anInvalidCrdIsRejectedWithTheFieldsAtFault() throws Exception {
    try (TestCluster c = new TestCluster()) {
      ObjectNode crd = (ObjectNode) TestCluster.JSON.readTree(crdJson());
      ((ObjectNode) crd.path("metadata")).put("name", "wrong.stable.example.com");
      ((ObjectNode) crd.path("spec").path("versions").get(0)).put("storage", false);
      var r = c.send("POST", CRDS, crd.toString());
      assertThat(r.statusCode()).isEqualTo(422);
      assertThat(c.json(r).path("details").path("causes").findValuesAsText("field"))
          .contains("metadata.name", "spec.versions");
      assertThat(c.send("GET", CRDS + "/wrong.stable.example.com", null).statusCode())
          .isEqualTo(404);
    }
  }

  @Test
  void anUpdateMayNotChangeTheGroup() throws Exception {
    try (TestCluster c = new TestCluster()) {
      c.send("POST", CRDS, crdJson());
      var r =
          c.send(
              "PATCH",
              CRDS + "/widgets.stable.example.com",
              "{\"spec\":{\"group\":\"other.example.com\"}}",
              "Content-Type",
              "application/merge-patch+json");
      assertThat(r.statusCode()).isEqualTo(422);
      assertThat(r.body()).contains("spec.group").contains("field is immutable");
    }
  }

  @Test
  void anAddedVersionIsServedAndDiscoveryAndOpenApiFollowTheCrd() throws Exception {
    AtomicReference<TestCluster> self = new AtomicReference<>();
    try (TestCluster c =
        new TestCluster(
            b ->
                b.nonResource(
                    OpenApiHandler.path(), new OpenApiHandler(() -> self.get().registry)))) {
      self.set(c);
      c.send("POST", CRDS, crdJson());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> c.send("GET", "/openapi/v3", null).body().contains("stable.example.com/v1"));
      JsonNode crd = c.json(c.send("GET", CRDS + "/widgets.stable.example.com", null));
      ObjectNode v2 = ((ObjectNode) crd.path("spec").path("versions").get(0)).deepCopy();
      v2.put("name", "v2").put("storage", false);
      ((com.fasterxml.jackson.databind.node.ArrayNode) crd.path("spec").path("versions")).add(v2);
      var put = c.send("PUT", CRDS + "/widgets.stable.example.com", crd.toString());
      assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  c.send("GET", "/apis/stable.example.com/v2/namespaces/default/widgets", null)
                          .statusCode()
                      == 200);
      assertThat(c.send("GET", "/openapi/v3", null).body()).contains("stable.example.com/v2");
      JsonNode doc = c.json(c.send("GET", "/openapi/v3/apis/stable.example.com/v2", null));
      assertThat(doc.path("components").path("schemas").has("com.example.stable.v2.Widget"))
          .isTrue();

      assertThat(c.send("DELETE", CRDS + "/widgets.stable.example.com", null).statusCode())
          .isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> !c.send("GET", "/openapi/v3", null).body().contains("stable.example.com"));
      assertThat(c.send("GET", "/apis/stable.example.com/v1", null).statusCode()).isEqualTo(404);
      assertThat(c.send("GET", "/apis", null).body()).doesNotContain("stable.example.com");
    }
  }

  @Test
  void readsDefaultStoredWidgetsByTheCurrentSchema() throws Exception {
    try (TestCluster c = new TestCluster()) {
      c.send("POST", CRDS, crdJson());
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> c.send("POST", WIDGETS, Widgets.widget("old", 1)).statusCode() == 201);
      assertThat(c.json(c.send("GET", WIDGETS + "/old", null)).path("spec").has("shape")).isFalse();
      String withShape =
          "[{\"op\":\"add\",\"path\":\"/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/shape\","
              + "\"value\":{\"type\":\"string\",\"default\":\"round\"}}]";
      var patched =
          c.send(
              "PATCH",
              CRDS + "/widgets.stable.example.com",
              withShape,
              "Content-Type",
              "application/json-patch+json");
      assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  c.json(c.send("GET", WIDGETS + "/old", null))
                      .path("spec")
                      .path("shape")
                      .asText()
                      .equals("round"));
      JsonNode listed = c.json(c.send("GET", WIDGETS, null));
      assertThat(listed.path("items").get(0).path("spec").path("shape").asText())
          .isEqualTo("round");
    }
  }

  @Test
  void clusterScopedCustomResourcesLiveOutsideNamespaces() throws Exception {
    try (TestCluster c = new TestCluster()) {
      String gizmos =
          Widgets.CRD
              .replace("widgets.stable.example.com", "gizmos.stable.example.com")
              .replace("plural: widgets", "plural: gizmos")
              .replace("kind: Widget", "kind: Gizmo")
              .replace("shortNames: [wd]", "shortNames: [gz]")
              .replace("scope: Namespaced", "scope: Cluster");
      var created =
          c.send(
              "POST", CRDS, TestCluster.JSON.writeValueAsString(new YAMLMapper().readTree(gizmos)));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String path = "/apis/stable.example.com/v1/gizmos";
      String gizmo =
          "{\"apiVersion\":\"stable.example.com/v1\",\"kind\":\"Gizmo\","
              + "\"metadata\":{\"name\":\"g1\"},\"spec\":{\"size\":2}}";
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> c.send("POST", path, gizmo).statusCode() == 201);
      assertThat(c.json(c.send("GET", path + "/g1", null)).path("metadata").has("namespace"))
          .isFalse();
      assertThat(
              c.send("GET", "/apis/stable.example.com/v1/namespaces/default/gizmos", null)
                  .statusCode())
          .isEqualTo(404);
      assertThat(c.store.get("/registry/stable.example.com/gizmos/g1").join()).isNotNull();
    }
  }

  @Test
  void aRestartedServerServesTheStoredCrdsBeforeItsFirstRequest(@TempDir Path dir)
      throws Exception {
    try (RocksDbStore store = RocksDbStore.open(dir)) {
      ApiServer first = server(store);
      String rvBefore;
      try {
        send(first, "POST", CRDS, crdJson());
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> send(first, "POST", WIDGETS, Widgets.widget("kept", 2)).statusCode() == 201);
        rvBefore = crdResourceVersion(first);
      } finally {
        first.close();
      }
      ApiServer second = server(store);
      try {
        var got = send(second, "GET", WIDGETS + "/kept", null);
        assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
        assertThat(TestCluster.JSON.readTree(got.body()).path("spec").path("size").asInt())
            .isEqualTo(2);
        JsonNode crd =
            TestCluster.JSON.readTree(
                send(second, "GET", CRDS + "/widgets.stable.example.com", null).body());
        assertThat(crd.path("status").path("storedVersions").get(0).asText()).isEqualTo("v1");
        assertThat(crdResourceVersion(second))
            .as("an established CRD is not rewritten")
            .isEqualTo(rvBefore);
      } finally {
        second.close();
      }
    }
  }

  private String crdResourceVersion(ApiServer s) throws Exception {
    return TestCluster.JSON
        .readTree(send(s, "GET", CRDS + "/widgets.stable.example.com", null).body())
        .path("metadata")
        .path("resourceVersion")
        .asText();
  }

  private static ApiServer server(RocksDbStore store) throws InterruptedException {
    return ApiServer.builder()
        .store(store)
        .registry(KindRegistry.builtIn())
        .workerThreads(1)
        .build()
        .start();
  }

  private HttpResponse<String> send(ApiServer s, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
