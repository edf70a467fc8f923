package io.flotilla.apiserver.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CrdStatusTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Instant T1 = Instant.parse("2026-01-01T00:05:00Z");

  static ObjectNode crd() throws Exception {
    return (ObjectNode)
        JSON.readTree(
            """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
             "metadata":{"name":"widgets.example.com"},
             "spec":{"group":"example.com","scope":"Namespaced",
               "names":{"plural":"widgets","singular":"widget","kind":"Widget",
                        "listKind":"WidgetList","shortNames":["wd"]},
               "versions":[{"name":"v1beta1","served":true,"storage":false},
                           {"name":"v1","served":true,"storage":true}]}}
            """);
  }

  static JsonNode condition(JsonNode crd, String type) {
    for (JsonNode c : crd.path("status").path("conditions")) {
      if (c.path("type").asText().equals(type)) {
        return c;
      }
    }
    return JSON.missingNode();
  }

  @Test
  void acceptedNamesEstablishTheCrdRecordTheStorageVersionAndAddTheFinalizer() throws Exception {
    ObjectNode out = CrdStatus.established(crd(), null, T0);
    assertThat(out.path("status").path("acceptedNames").path("shortNames").get(0).asText())
        .isEqualTo("wd");
    assertThat(out.path("status").path("storedVersions").toString()).isEqualTo("[\"v1\"]");
    assertThat(condition(out, "NamesAccepted").path("reason").asText()).isEqualTo("NoConflicts");
    assertThat(condition(out, "Established").path("status").asText()).isEqualTo("True");
    assertThat(condition(out, "Established").path("reason").asText())
        .isEqualTo("InitialNamesAccepted");
    assertThat(out.path("metadata").path("finalizers").toString())
        .isEqualTo("[\"customresourcecleanup.apiextensions.k8s.io\"]");
  }

  @Test
  void establishingAgainChangesNothingSoTheLoopDoesNotRewriteTheCrd() throws Exception {
    ObjectNode once = CrdStatus.established(crd(), null, T0);
    assertThat(CrdStatus.established(once, null, T1)).isEqualTo(once);
  }

  @Test
  void aNameConflictRefusesTheNamesAndLeavesTheCrdUnestablished() throws Exception {
    ObjectNode out = CrdStatus.established(crd(), "\"wd\" is already in use", T0);
    assertThat(condition(out, "NamesAccepted").path("status").asText()).isEqualTo("False");
    assertThat(condition(out, "NamesAccepted").path("message").asText()).contains("\"wd\"");
    assertThat(condition(out, "Established").path("status").asText()).isEqualTo("False");
    assertThat(CrdStatus.isTrue(out, "Established")).isFalse();
  }

  @Test
  void aLaterConflictKeepsAnEstablishedCrdEstablished() throws Exception {
    ObjectNode established = CrdStatus.established(crd(), null, T0);
    ObjectNode out = CrdStatus.established(established, "\"wd\" is already in use", T1);
    assertThat(condition(out, "Established").path("status").asText()).isEqualTo("True");
    assertThat(condition(out, "NamesAccepted").path("lastTransitionTime").asText())
        .isEqualTo("2026-01-01T00:05:00Z");
    assertThat(condition(out, "Established").path("lastTransitionTime").asText())
        .isEqualTo("2026-01-01T00:00:00Z");
  }

  @Test
  void finishingTerminationRemovesOnlyTheCleanupFinalizer() throws Exception {
    ObjectNode crd = CrdStatus.established(crd(), null, T0);
    ((com.fasterxml.jackson.databind.node.ArrayNode) crd.path("metadata").path("finalizers"))
        .add("example.com/other");
    ObjectNode inProgress = CrdStatus.terminating(crd, false, T1);
    assertThat(condition(inProgress, "Terminating").path("status").asText()).isEqualTo("True");
    ObjectNode done = CrdStatus.terminating(inProgress, true, T1);
    assertThat(condition(done, "Terminating").path("reason").asText())
        .isEqualTo("InstanceDeletionCompleted");
    assertThat(done.path("metadata").path("finalizers").toString())
        .isEqualTo("[\"example.com/other\"]");
  }

  @Test
  void claimedNamesAreEveryNameTheCrdUsesInItsGroup() throws Exception {
    assertThat(CrdStatus.claimedNames(crd()))
        .containsExactly("widgets", "widget", "Widget", "WidgetList", "wd");
  }
}
