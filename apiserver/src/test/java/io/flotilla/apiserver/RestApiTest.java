package io.flotilla.apiserver;

import static io.flotilla.apiserver.TestCluster.configMap;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The REST verbs and their exact Status answers, over plain HTTP/1.1. */
class RestApiTest {
  static TestCluster c;
  static final String CMS = "/api/v1/namespaces/default/configmaps";

  @BeforeAll
  static void start() throws Exception {
    c = new TestCluster();
  }

  @AfterAll
  static void stop() {
    c.close();
  }

  @Test
  void createsAndReadsAConfigMapWithServerOwnedMetadata() throws Exception {
    HttpResponse<String> r = c.send("POST", CMS, configMap("created", "\"a\":\"b\""));
    assertThat(r.statusCode()).isEqualTo(201);
    JsonNode o = c.json(r);
    assertThat(o.path("metadata").path("uid").asText()).hasSize(36);
    assertThat(o.path("metadata").path("namespace").asText()).isEqualTo("default");
    assertThat(o.path("metadata").path("creationTimestamp").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(o.path("metadata").path("resourceVersion").asLong()).isPositive();
    JsonNode got = c.json(c.send("GET", CMS + "/created", null));
    assertThat(got.path("data").path("k").asText()).isEqualTo("v");
    assertThat(got.path("kind").asText()).isEqualTo("ConfigMap");
  }

  @Test
  void generatesNamesWithFiveRandomCharacters() throws Exception {
    JsonNode o =
        c.json(c.send("POST", CMS, "{\"metadata\":{\"generateName\":\"gen-\"},\"data\":{}}"));
    assertThat(o.path("metadata").path("name").asText()).matches("gen-[a-z0-9]{5}");
  }

  @Test
  void answersAlreadyExistsWithStatus409() throws Exception {
    c.send("POST", CMS, configMap("dup", ""));
    HttpResponse<String> r = c.send("POST", CMS, configMap("dup", ""));
    assertThat(r.statusCode()).isEqualTo(409);
    JsonNode s = c.json(r);
    assertThat(s.path("kind").asText()).isEqualTo("Status");
    assertThat(s.path("reason").asText()).isEqualTo("AlreadyExists");
    assertThat(s.path("message").asText()).isEqualTo("configmaps \"dup\" already exists");
    assertThat(s.path("details").path("kind").asText()).isEqualTo("configmaps");
  }

  @Test
  void answersNotFoundForMissingObjectsAndUnknownPaths() throws Exception {
    JsonNode s = c.json(c.send("GET", CMS + "/nope", null));
    assertThat(s.path("code").asInt()).isEqualTo(404);
    assertThat(s.path("message").asText()).isEqualTo("configmaps \"nope\" not found");
    HttpResponse<String> r = c.send("GET", "/apis/nothing.example.com/v1/things", null);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(c.json(r).path("message").asText())
        .isEqualTo("the server could not find the requested resource");
  }

  @Test
  void rejectsANamespaceMismatchAndAMissingNamespace() throws Exception {
    HttpResponse<String> r =
        c.send("POST", CMS, "{\"metadata\":{\"name\":\"x\",\"namespace\":\"other\"}}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(c.json(r).path("message").asText())
        .isEqualTo(
            "the namespace of the provided object does not match the namespace sent on the request");
    HttpResponse<String> missing =
        c.send("POST", "/api/v1/namespaces/ghost/configmaps", configMap("x", ""));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(c.json(missing).path("message").asText())
        .isEqualTo("namespaces \"ghost\" not found");
  }

  @Test
  void rejectsInvalidNamesWith422AndCauses() throws Exception {
    HttpResponse<String> r = c.send("POST", CMS, configMap("Bad_Name", ""));
    assertThat(r.statusCode()).isEqualTo(422);
    JsonNode s = c.json(r);
    assertThat(s.path("reason").asText()).isEqualTo("Invalid");
    assertThat(s.path("message").asText())
        .startsWith(
            "ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\"");
    assertThat(s.path("details").path("causes").get(0).path("field").asText())
        .isEqualTo("metadata.name");
  }

  @Test
  void reportsKindValidationAsUpstreamDoes() throws Exception {
    HttpResponse<String> r =
        c.send(
            "POST",
            "/apis/apps/v1/namespaces/default/deployments",
            "{\"metadata\":{\"name\":\"x\"},\"spec\":{\"replicas\":-1}}");
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(c.json(r).path("message").asText())
        .isEqualTo(
            "Deployment.apps \"x\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0");
  }

  @Test
  void rejectsMalformedBodiesWithoutWriting() throws Exception {
    HttpResponse<String> r = c.send("POST", CMS, "{\"metadata\":");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(c.json(r).path("message").asText()).contains("not valid JSON");
    HttpResponse<String> kind =
        c.send("POST", CMS, "{\"kind\":\"Secret\",\"metadata\":{\"name\":\"k\"}}");
    assertThat(kind.statusCode()).isEqualTo(400);
    assertThat(c.send("GET", CMS + "/k", null).statusCode()).isEqualTo(404);
  }

  @Test
  void handlesDuplicateFieldsPerFieldValidation() throws Exception {
    String body = "{\"metadata\":{\"name\":\"dupf\",\"name\":\"dupf\"}}";
    HttpResponse<String> strict = c.send("POST", CMS + "?fieldValidation=Strict", body);
    assertThat(strict.statusCode()).isEqualTo(400);
    assertThat(c.json(strict).path("message").asText()).contains("duplicate field \"name\"");
    HttpResponse<String> warn = c.send("POST", CMS + "?fieldValidation=Warn", body);
    assertThat(warn.statusCode()).isEqualTo(201);
    assertThat(warn.headers().firstValue("Warning"))
        .hasValueSatisfying(w -> assertThat(w).startsWith("299 - \"duplicate field"));
  }

  @Test
  void acceptsYamlBodies() throws Exception {
    HttpResponse<String> r =
        c.send(
            "POST",
            CMS,
            "metadata:\n  name: from-yaml\ndata:\n  a: b\n",
            "Content-Type",
            "application/yaml");
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(c.json(r).path("data").path("a").asText()).isEqualTo("b");
  }

  @Test
  void rejectsMalformedProtobufBodiesWith400() throws Exception {
    HttpResponse<String> r =
        c.send("POST", CMS, "k8s\0garbage", "Content-Type", "application/vnd.kubernetes.protobuf");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(c.json(r).path("message").asText())
        .startsWith("the protobuf request body could not be decoded");
  }

  @Test
  void rejectsBodiesOverThreeMebibytesWith413() throws Exception {
    String big = "{\"data\":{\"x\":\"" + "a".repeat(3 * 1024 * 1024 + 10) + "\"}}";
    HttpResponse<String> r = c.send("POST", CMS, big);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(c.json(r).path("message").asText()).isEqualTo("request entity too large");
  }

  @Test
  void rejectsAStaleUpdateWithConflict() throws Exception {
    JsonNode o = c.json(c.send("POST", CMS, configMap("stale", "")));
    String rv = o.path("metadata").path("resourceVersion").asText();
    String v2 =
        "{\"metadata\":{\"name\":\"stale\",\"resourceVersion\":\""
            + rv
            + "\"},\"data\":{\"k\":\"2\"}}";
    assertThat(c.send("PUT", CMS + "/stale", v2).statusCode()).isEqualTo(200);
    HttpResponse<String> r = c.send("PUT", CMS + "/stale", v2.replace("\"2\"", "\"3\""));
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(c.json(r).path("message").asText())
        .isEqualTo(
            "Operation cannot be fulfilled on configmaps \"stale\": the object has been modified; please apply your changes to the latest version and try again");
    String unconditional = "{\"metadata\":{\"name\":\"stale\"},\"data\":{\"k\":\"4\"}}";
    assertThat(c.json(c.send("PUT", CMS + "/stale", unconditional)).path("data").path("k").asText())
        .isEqualTo("4");
    HttpResponse<String> wrongName =
        c.send("PUT", CMS + "/stale", "{\"metadata\":{\"name\":\"other\"}}");
    assertThat(wrongName.statusCode()).isEqualTo(400);
  }

  @Test
  void bumpsGenerationOnSpecChangesOnlyAndKeepsStatusOnMainWrites() throws Exception {
    String path = "/apis/apps/v1/namespaces/default/deployments";
    JsonNode d =
        c.json(
            c.send(
                "POST",
                path,
                "{\"metadata\":{\"name\":\"gen\"},\"spec\":{\"replicas\":1},\"status\":{\"replicas\":9}}"));
    assertThat(d.path("metadata").path("generation").asInt()).isEqualTo(1);
    assertThat(d.has("status")).isFalse();
    JsonNode labelled =
        c.json(
            c.send(
                "PUT",
                path + "/gen",
                "{\"metadata\":{\"name\":\"gen\",\"labels\":{\"a\":\"b\"}},\"spec\":{\"replicas\":1}}"));
    assertThat(labelled.path("metadata").path("generation").asInt()).isEqualTo(1);
    JsonNode scaled =
        c.json(
            c.send(
                "PUT",
                path + "/gen",
                "{\"metadata\":{\"name\":\"gen\"},\"spec\":{\"replicas\":3},\"status\":{\"replicas\":7}}"));
    assertThat(scaled.path("metadata").path("generation").asInt()).isEqualTo(2);
    assertThat(scaled.has("status")).isFalse();
    JsonNode status =
        c.json(
            c.send(
                "PUT",
                path + "/gen/status",
                "{\"metadata\":{\"name\":\"gen\"},\"spec\":{\"replicas\":100},\"status\":{\"replicas\":3}}"));
    assertThat(status.path("status").path("replicas").asInt()).isEqualTo(3);
    assertThat(status.path("spec").path("replicas").asInt()).isEqualTo(3);
  }

  @Test
  void servesTheScaleSubresource() throws Exception {
    String path = "/apis/apps/v1/namespaces/default/deployments";
    c.send(
        "POST",
        path,
        "{\"metadata\":{\"name\":\"sc\"},\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"sc\"}}}}");
    JsonNode s = c.json(c.send("GET", path + "/sc/scale", null));
    assertThat(s.path("kind").asText()).isEqualTo("Scale");
    assertThat(s.path("apiVersion").asText()).isEqualTo("autoscaling/v1");
    assertThat(s.path("spec").path("replicas").asInt()).isEqualTo(2);
    assertThat(s.path("status").path("selector").asText()).isEqualTo("app=sc");
    JsonNode put =
        c.json(
            c.send(
                "PUT",
                path + "/sc/scale",
                "{\"metadata\":{\"name\":\"sc\"},\"spec\":{\"replicas\":5}}"));
    assertThat(put.path("spec").path("replicas").asInt()).isEqualTo(5);
    HttpResponse<String> patched =
        c.send(
            "PATCH",
            path + "/sc/scale",
            "{\"spec\":{\"replicas\":4}}",
            "Content-Type",
            "application/merge-patch+json");
    assertThat(c.json(patched).path("spec").path("replicas").asInt()).isEqualTo(4);
    assertThat(c.json(c.send("GET", path + "/sc", null)).path("spec").path("replicas").asInt())
        .isEqualTo(4);
  }

  @Test
  void bindsAPodOnceAndDeletesBoundPodsGracefully() throws Exception {
    String pods = "/api/v1/namespaces/default/pods";
    c.send(
        "POST",
        pods,
        "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}");
    String binding =
        "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"p\"},\"target\":{\"kind\":\"Node\",\"name\":\"n1\"}}";
    assertThat(c.send("POST", pods + "/p/binding", binding).statusCode()).isEqualTo(201);
    JsonNode bound = c.json(c.send("GET", pods + "/p", null));
    assertThat(bound.path("spec").path("nodeName").asText()).isEqualTo("n1");
    // As upstream's binding storage: the API server, not the scheduler, sets PodScheduled=True.
    assertThat(bound.path("status").path("conditions").toString())
        .contains("\"type\":\"PodScheduled\"", "\"status\":\"True\"");
    assertThat(c.send("POST", pods + "/p/binding", binding).statusCode()).isEqualTo(409);
    JsonNode deleting = c.json(c.send("DELETE", pods + "/p", null));
    assertThat(deleting.path("metadata").path("deletionGracePeriodSeconds").asInt()).isEqualTo(30);
    assertThat(c.send("GET", pods + "/p", null).statusCode()).isEqualTo(200);
    assertThat(c.send("DELETE", pods + "/p?gracePeriodSeconds=0", null).statusCode())
        .isEqualTo(200);
    assertThat(c.send("GET", pods + "/p", null).statusCode()).isEqualTo(404);
  }

  @Test
  void keepsObjectsWithFinalizersUntilAnUpdateClearsThem() throws Exception {
    c.send("POST", CMS, "{\"metadata\":{\"name\":\"fin\",\"finalizers\":[\"example.com/x\"]}}");
    JsonNode deleting = c.json(c.send("DELETE", CMS + "/fin", null));
    assertThat(deleting.path("metadata").path("deletionTimestamp").isTextual()).isTrue();
    assertThat(c.send("GET", CMS + "/fin", null).statusCode()).isEqualTo(200);
    assertThat(
            c.send("PUT", CMS + "/fin", "{\"metadata\":{\"name\":\"fin\",\"finalizers\":[]}}")
                .statusCode())
        .isEqualTo(200);
    assertThat(c.send("GET", CMS + "/fin", null).statusCode()).isEqualTo(404);
  }

  @Test
  void addsTheOrphanFinalizerAndChecksPreconditions() throws Exception {
    c.send("POST", CMS, configMap("orph", ""));
    HttpResponse<String> pre =
        c.send("DELETE", CMS + "/orph", "{\"preconditions\":{\"uid\":\"nope\"}}");
    assertThat(pre.statusCode()).isEqualTo(409);
    assertThat(c.json(pre).path("message").asText())
        .contains("Precondition failed: UID in precondition: nope");
    JsonNode o = c.json(c.send("DELETE", CMS + "/orph", "{\"propagationPolicy\":\"Orphan\"}"));
    assertThat(o.path("metadata").path("finalizers").get(0).asText()).isEqualTo("orphan");
  }

  @Test
  void terminatesNamespacesAndRefusesNewContentInThem() throws Exception {
    c.send("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"doomed\"}}");
    JsonNode ns = c.json(c.send("DELETE", "/api/v1/namespaces/doomed", null));
    assertThat(ns.path("status").path("phase").asText()).isEqualTo("Terminating");
    HttpResponse<String> r =
        c.send("POST", "/api/v1/namespaces/doomed/configmaps", configMap("x", ""));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(c.json(r).path("message").asText()).endsWith("because it is being terminated");
    c.send(
        "PUT",
        "/api/v1/namespaces/doomed/finalize",
        "{\"metadata\":{\"name\":\"doomed\"},\"spec\":{\"finalizers\":[]}}");
    assertThat(c.send("GET", "/api/v1/namespaces/doomed", null).statusCode()).isEqualTo(404);
  }

  @Test
  void paginatesAtTheFirstPagesRevision() throws Exception {
    c.send("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"pages\"}}");
    String path = "/api/v1/namespaces/pages/configmaps";
    for (int i = 0; i < 5; i++) {
      c.send("POST", path, configMap("cm" + i, ""));
    }
    JsonNode p1 = c.json(c.send("GET", path + "?limit=2", null));
    assertThat(p1.path("items")).hasSize(2);
    assertThat(p1.path("metadata").path("remainingItemCount").asInt()).isEqualTo(3);
    String token = p1.path("metadata").path("continue").asText();
    c.send("POST", path, configMap("cm9", ""));
    JsonNode p2 = c.json(c.send("GET", path + "?limit=10&continue=" + token, null));
    assertThat(p2.path("items"))
        .extracting(i -> i.path("metadata").path("name").asText())
        .containsExactly("cm2", "cm3", "cm4");
    assertThat(p2.path("metadata").has("continue")).isFalse();
    c.store.compact(c.store.currentRevision().join()).join();
    HttpResponse<String> expired = c.send("GET", path + "?limit=2&continue=" + token, null);
    assertThat(expired.statusCode()).isEqualTo(410);
    assertThat(c.json(expired).path("message").asText())
        .startsWith("The provided continue parameter is too old");
  }

  @Test
  void filtersByLabelAndFieldSelectors() throws Exception {
    c.send("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"sel\"}}");
    String path = "/api/v1/namespaces/sel/configmaps";
    c.send("POST", path, configMap("web", "\"app\":\"web\",\"tier\":\"fe\""));
    c.send("POST", path, configMap("db", "\"app\":\"db\""));
    JsonNode l = c.json(c.send("GET", path + "?labelSelector=app%20in%20(web,cache),tier", null));
    assertThat(l.path("items"))
        .extracting(i -> i.path("metadata").path("name").asText())
        .containsExactly("web");
    JsonNode f = c.json(c.send("GET", path + "?fieldSelector=metadata.name!=web", null));
    assertThat(f.path("items"))
        .extracting(i -> i.path("metadata").path("name").asText())
        .containsExactly("db");
    HttpResponse<String> bad = c.send("GET", path + "?fieldSelector=spec.color=red", null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(c.json(bad).path("message").asText())
        .isEqualTo("field label not supported: spec.color");
    assertThat(c.send("GET", path + "?labelSelector=app%20in%20web", null).statusCode())
        .isEqualTo(400);
    JsonNode all = c.json(c.send("GET", "/api/v1/configmaps?labelSelector=app=db", null));
    assertThat(all.path("kind").asText()).isEqualTo("ConfigMapList");
    assertThat(all.path("items").get(0).path("kind").asText()).isEqualTo("ConfigMap");
  }

  @Test
  void dryRunValidatesButWritesNothing() throws Exception {
    HttpResponse<String> r = c.send("POST", CMS + "?dryRun=All", configMap("dry", ""));
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(c.send("GET", CMS + "/dry", null).statusCode()).isEqualTo(404);
  }

  @Test
  void deletesACollectionBySelector() throws Exception {
    c.send("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"dc\"}}");
    String path = "/api/v1/namespaces/dc/configmaps";
    c.send("POST", path, configMap("a", "\"x\":\"1\""));
    c.send("POST", path, configMap("b", "\"x\":\"2\""));
    JsonNode r = c.json(c.send("DELETE", path + "?labelSelector=x=1", null));
    assertThat(r.path("items")).hasSize(1);
    assertThat(c.json(c.send("GET", path, null)).path("items"))
        .extracting(i -> i.path("metadata").path("name").asText())
        .containsExactly("b");
  }

  @Test
  void patchesWithMergeJsonAndStrategicPatches() throws Exception {
    c.send("POST", CMS, configMap("pt", "\"a\":\"1\""));
    JsonNode m =
        c.json(
            c.send(
                "PATCH",
                CMS + "/pt",
                "{\"metadata\":{\"labels\":{\"b\":\"2\",\"a\":null}}}",
                "Content-Type",
                "application/merge-patch+json"));
    assertThat(m.path("metadata").path("labels").toString()).isEqualTo("{\"b\":\"2\"}");
    JsonNode j =
        c.json(
            c.send(
                "PATCH",
                CMS + "/pt",
                "[{\"op\":\"replace\",\"path\":\"/data/k\",\"value\":\"j\"}]",
                "Content-Type",
                "application/json-patch+json"));
    assertThat(j.path("data").path("k").asText()).isEqualTo("j");
    JsonNode s =
        c.json(
            c.send(
                "PATCH",
                CMS + "/pt",
                "{\"data\":{\"s\":\"1\"},\"$setElementOrder/x\":[]}",
                "Content-Type",
                "application/strategic-merge-patch+json"));
    assertThat(s.path("data").path("s").asText()).isEqualTo("1");
    assertThat(s.has("$setElementOrder/x")).isFalse();
  }

  @Test
  void servesTablesAndPartialObjectMetadata() throws Exception {
    c.send("POST", CMS, configMap("tab", ""));
    JsonNode t =
        c.json(
            c.send(
                "GET",
                CMS,
                null,
                "Accept",
                "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"));
    assertThat(t.path("kind").asText()).isEqualTo("Table");
    assertThat(t.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
    assertThat(t.path("columnDefinitions").get(0).path("name").asText()).isEqualTo("Name");
    assertThat(t.path("metadata").path("resourceVersion").asText()).isNotEmpty();
    JsonNode row = t.path("rows").get(0);
    assertThat(row.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
    JsonNode one =
        c.json(
            c.send(
                "GET",
                CMS + "/tab?includeObject=Object",
                null,
                "Accept",
                "application/json;as=Table;v=v1beta1;g=meta.k8s.io"));
    assertThat(one.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1beta1");
    assertThat(one.path("rows").get(0).path("object").path("kind").asText()).isEqualTo("ConfigMap");
    JsonNode pom =
        c.json(
            c.send(
                "GET",
                CMS,
                null,
                "Accept",
                "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io"));
    assertThat(pom.path("kind").asText()).isEqualTo("PartialObjectMetadataList");
    assertThat(pom.path("items").get(0).has("data")).isFalse();
  }

  @Test
  void servesVersionHealthAndMetrics() throws Exception {
    JsonNode v = c.json(c.send("GET", "/version", null));
    assertThat(v.path("major").asText()).isEqualTo("1");
    assertThat(v.path("minor").asText()).isEqualTo("32");
    assertThat(c.send("GET", "/readyz", null).body()).isEqualTo("ok");
    assertThat(c.send("GET", "/openapi/v2", null).statusCode()).isEqualTo(404);
    c.send("GET", CMS, null);
    String metrics = c.send("GET", "/metrics", null).body();
    assertThat(metrics)
        .contains("apiserver_request_total{code=\"200\",resource=\"configmaps\",verb=\"LIST\"}");
    assertThat(metrics).contains("apiserver_request_duration_seconds_bucket");
    assertThat(metrics).contains("flotilla_store_request_duration_seconds");
  }

  @Test
  void servesLegacyAndAggregatedDiscovery() throws Exception {
    JsonNode api = c.json(c.send("GET", "/api", null));
    assertThat(api.path("kind").asText()).isEqualTo("APIVersions");
    assertThat(api.path("versions").get(0).asText()).isEqualTo("v1");
    JsonNode apis = c.json(c.send("GET", "/apis", null));
    assertThat(apis.path("groups")).extracting(g -> g.path("name").asText()).contains("apps");
    JsonNode v1 = c.json(c.send("GET", "/api/v1", null));
    assertThat(v1.path("resources"))
        .extracting(r -> r.path("name").asText())
        .contains("pods", "pods/status", "pods/binding", "namespaces/finalize", "configmaps");
    JsonNode apps = c.json(c.send("GET", "/apis/apps/v1", null));
    JsonNode scale = null;
    for (JsonNode r : apps.path("resources")) {
      if (r.path("name").asText().equals("deployments/scale")) {
        scale = r;
      }
    }
    assertThat(scale).isNotNull();
    assertThat(scale.path("group").asText()).isEqualTo("autoscaling");
    assertThat(scale.path("version").asText()).isEqualTo("v1");
    assertThat(scale.path("kind").asText()).isEqualTo("Scale");
    String accept =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";
    HttpResponse<String> agg = c.send("GET", "/apis", null, "Accept", accept);
    assertThat(agg.headers().firstValue("Content-Type"))
        .hasValue("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    JsonNode list = c.json(agg);
    assertThat(list.path("kind").asText()).isEqualTo("APIGroupDiscoveryList");
    JsonNode appsGroup = null;
    for (JsonNode g : list.path("items")) {
      if (g.path("metadata").path("name").asText().equals("apps")) {
        appsGroup = g;
      }
    }
    assertThat(appsGroup).isNotNull();
    assertThat(appsGroup.path("metadata").path("name").asText()).isEqualTo("apps");
    assertThat(appsGroup.path("versions").get(0).path("resources").get(0).path("scope").asText())
        .isEqualTo("Namespaced");
    HttpResponse<String> core =
        c.send("GET", "/api", null, "Accept", accept.replace("v=v2", "v=v2beta1"));
    assertThat(core.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).contains("v=v2beta1"));
    assertThat(c.json(core).path("items").get(0).path("versions").get(0).path("version").asText())
        .isEqualTo("v1");
  }

  @Test
  void answersInYamlWhenAsked() throws Exception {
    HttpResponse<String> r =
        c.send("GET", "/api/v1/namespaces/default", null, "Accept", "application/yaml");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/yaml");
    assertThat(r.body()).contains("kind: Namespace").contains("name: default");
  }

  @Test
  void rejectsOrWarnsAboutUnknownFieldsPerFieldValidation() throws Exception {
    String body = "{\"metadata\":{\"name\":\"unk\"},\"data\":{},\"colour\":\"red\"}";
    HttpResponse<String> strict = c.send("POST", CMS + "?fieldValidation=Strict", body);
    assertThat(strict.statusCode()).isEqualTo(400);
    assertThat(c.json(strict).path("message").asText())
        .isEqualTo("strict decoding error: unknown field \"colour\"");
    HttpResponse<String> warn = c.send("POST", CMS, body);
    assertThat(warn.statusCode()).isEqualTo(201);
    assertThat(warn.headers().firstValue("Warning"))
        .hasValue("299 - \"unknown field \\\"colour\\\"\"");
    assertThat(c.json(warn).has("colour")).isFalse();
  }

  @Test
  void refusesToCreateNamespacedObjectsWithoutANamespace() throws Exception {
    HttpResponse<String> r = c.send("POST", "/api/v1/configmaps", configMap("nowhere", ""));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(
            c.json(c.send("GET", "/api/v1/configmaps?fieldSelector=metadata.name=nowhere", null))
                .path("items"))
        .isEmpty();
  }
}
