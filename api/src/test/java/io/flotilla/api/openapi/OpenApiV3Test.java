package io.flotilla.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.GroupVersionKind;
import io.flotilla.api.KindRegistry;
import io.flotilla.api.ResourceType;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenApiV3Test {
  private final List<ResourceType> all = withPods(KindRegistry.builtIn().all());

  /** Pods are the richest schema; added here so the test does not hang on the registry's list. */
  private static List<ResourceType> withPods(List<ResourceType> registered) {
    var list = new java.util.ArrayList<>(registered);
    if (list.stream().noneMatch(r -> r.kind().equals("Pod"))) {
      list.add(
          new ResourceType(
              "",
              "v1",
              "Pod",
              "pods",
              "pod",
              true,
              List.of("po"),
              List.of("all"),
              List.of("get", "list", "patch"),
              java.util.Set.of("status"),
              "core/pods",
              new io.flotilla.api.KindBehavior() {}));
    }
    return list;
  }

  @Test
  void everyBuiltInKindWithAModelClassGetsATaggedSchema() {
    for (ResourceType rt : all) {
      ObjectNode doc = OpenApiV3.document(rt.group(), rt.version(), all);
      JsonNode schema = schemaFor(doc, rt.gvk());
      assertThat(schema).as("schema for %s", rt.gvk()).isNotNull();
      assertThat(schema.path("properties").has("apiVersion")).as(rt.kind()).isTrue();
    }
  }

  @Test
  void containerFieldsAreTypedDownToLeaves() {
    ObjectNode doc = OpenApiV3.document("", "v1", all);
    JsonNode schemas = doc.path("components").path("schemas");
    JsonNode container = schemas.path("io.flotilla.model.core.Container").path("properties");
    assertThat(container.path("image").path("type").asText()).isEqualTo("string");
    assertThat(container.path("ports").path("type").asText()).isEqualTo("array");
    assertThat(container.path("args").path("items").path("type").asText()).isEqualTo("string");
    JsonNode port = schemas.path("io.flotilla.model.core.ContainerPort").path("properties");
    assertThat(port.path("containerPort").path("format").asText()).isEqualTo("int32");
    JsonNode labels =
        schemas.path("io.flotilla.model.core.ObjectMeta").path("properties").path("labels");
    assertThat(labels.path("additionalProperties").path("type").asText()).isEqualTo("string");
  }

  @Test
  void patchOperationsListFieldValidationAndStrategicMergeForBuiltIns() {
    ObjectNode doc = OpenApiV3.document("", "v1", all);
    JsonNode patch =
        doc.path("paths").path("/api/v1/namespaces/{namespace}/configmaps/{name}").path("patch");
    assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asText())
        .isEqualTo("ConfigMap");
    assertThat(patch.path("parameters").findValuesAsText("name")).contains("fieldValidation");
    assertThat(
            patch.path("requestBody").path("content").has("application/strategic-merge-patch+json"))
        .as("built-in kinds advertise strategic merge patch")
        .isTrue();
  }

  @Test
  void rootListsEveryDocumentWithItsHash() {
    ObjectNode root = OpenApiV3.root(java.util.Map.of("api/v1", "abc"));
    assertThat(root.path("paths").path("api/v1").path("serverRelativeURL").asText())
        .isEqualTo("/openapi/v3/api/v1?hash=abc");
  }

  static JsonNode schemaFor(ObjectNode doc, GroupVersionKind gvk) {
    for (JsonNode s : doc.path("components").path("schemas")) {
      for (JsonNode g : s.path("x-kubernetes-group-version-kind")) {
        if (g.path("kind").asText().equals(gvk.kind())
            && g.path("group").asText().equals(gvk.group())
            && g.path("version").asText().equals(gvk.version())) {
          return s;
        }
      }
    }
    return null;
  }
}
