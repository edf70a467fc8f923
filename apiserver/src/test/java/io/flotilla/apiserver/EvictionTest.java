package io.flotilla.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** pods/eviction: deletes the pod unless that breaks its PodDisruptionBudget. */
class EvictionTest {
  static TestCluster c;
  static final String PODS = "/api/v1/namespaces/default/pods";
  static final String PDBS = "/apis/policy/v1/namespaces/default/poddisruptionbudgets";

  @BeforeAll
  static void start() throws Exception {
    c = new TestCluster();
  }

  @AfterAll
  static void stop() {
    c.close();
  }

  private static String pod(String name, String app) {
    return """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"app":"%s"}},
         "spec":{"containers":[{"name":"c","image":"busybox"}]}}"""
        .formatted(name, app);
  }

  private static String eviction(String name) {
    return """
        {"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"%s"}}"""
        .formatted(name);
  }

  private HttpResponse<String> evict(String name) throws Exception {
    return c.send("POST", PODS + "/" + name + "/eviction", eviction(name));
  }

  @Test
  void evictsAPodThatNoBudgetCovers() throws Exception {
    assertThat(c.send("POST", PODS, pod("free", "free")).statusCode()).isEqualTo(201);
    HttpResponse<String> r = evict("free");
    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(c.json(r).path("status").asText()).isEqualTo("Success");
    assertThat(c.send("GET", PODS + "/free", null).statusCode()).isEqualTo(404);
  }

  @Test
  void refusesWith429WhileTheBudgetAllowsNoDisruptionThenSpendsAnAllowance() throws Exception {
    c.send("POST", PODS, pod("guarded-1", "guarded"));
    c.send("POST", PODS, pod("guarded-2", "guarded"));
    HttpResponse<String> pdb =
        c.send(
            "POST",
            PDBS,
            """
            {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"guard"},
             "spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"guarded"}}}}""");
    assertThat(pdb.statusCode()).isEqualTo(201);

    HttpResponse<String> refused = evict("guarded-1");
    assertThat(refused.statusCode()).isEqualTo(429);
    JsonNode status = c.json(refused);
    assertThat(status.path("message").asText())
        .isEqualTo("Cannot evict pod as it would violate the pod's disruption budget.");
    assertThat(status.path("details").path("causes").get(0).path("reason").asText())
        .isEqualTo("DisruptionBudget");
    assertThat(c.send("GET", PODS + "/guarded-1", null).statusCode()).isEqualTo(200);

    // What the disruption controller would write: one disruption allowed.
    HttpResponse<String> current = c.send("GET", PDBS + "/guard", null);
    JsonNode budget = c.json(current);
    String withStatus =
        budget
            .toString()
            .replaceFirst(
                "\\}$",
                ",\"status\":{\"observedGeneration\":1,\"disruptionsAllowed\":1,"
                    + "\"currentHealthy\":2,\"desiredHealthy\":1,\"expectedPods\":2}}");
    assertThat(c.send("PUT", PDBS + "/guard/status", withStatus).statusCode()).isEqualTo(200);

    assertThat(evict("guarded-1").statusCode()).isEqualTo(201);
    assertThat(c.send("GET", PODS + "/guarded-1", null).statusCode()).isEqualTo(404);
    JsonNode after = c.json(c.send("GET", PDBS + "/guard", null));
    assertThat(after.path("status").path("disruptionsAllowed").asInt()).isZero();
    assertThat(after.path("status").path("disruptedPods").has("guarded-1")).isTrue();
    assertThat(evict("guarded-2").statusCode()).isEqualTo(429);
  }

  @Test
  void aMissingPodIsNotFound() throws Exception {
    assertThat(evict("ghost").statusCode()).isEqualTo(404);
  }
}
