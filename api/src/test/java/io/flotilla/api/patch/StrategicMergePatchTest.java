package io.flotilla.api.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.GroupVersionKind;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StrategicMergePatchTest {

  /** The cases of strategic-merge-patch-cases.yaml, named by their "name". */
  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : Fixtures.resource("strategic-merge-patch-cases.yaml")) {
      out.add(Arguments.of(c.get("name").asText(), c));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void appliesAsUpstreamDoes(String name, JsonNode c) {
    PatchSchema schema = schemaOf(c.path("kind").asText("v1/Pod"));
    JsonNode original = c.get("original");
    JsonNode originalBefore = original.deepCopy();
    JsonNode patch = c.get("patch");
    JsonNode patchBefore = patch.deepCopy();
    if (c.has("error")) {
      assertThatThrownBy(() -> StrategicMergePatch.apply(original, patch, schema))
          .isInstanceOf(PatchException.class)
          .hasMessageContaining(c.get("error").asText())
          .extracting(e -> ((PatchException) e).reason())
          .isEqualTo(PatchException.Reason.UNPROCESSABLE);
    } else {
      assertThat(StrategicMergePatch.apply(original, patch, schema)).isEqualTo(c.get("expected"));
    }
    assertThat(original).as("original unchanged").isEqualTo(originalBefore);
    assertThat(patch).as("patch unchanged").isEqualTo(patchBefore);
  }

  @Test
  void thereAreAtLeastSixtyNamedCases() {
    assertThat(cases().count()).isGreaterThanOrEqualTo(60);
  }

  @Test
  void refusesAPatchThatIsNotAnObject() {
    PatchSchema schema = schemaOf("v1/Pod");
    assertThatThrownBy(
            () -> StrategicMergePatch.apply(Fixtures.yaml("{}"), Fixtures.yaml("[1]"), schema))
        .isInstanceOf(PatchException.class)
        .extracting(e -> ((PatchException) e).reason())
        .isEqualTo(PatchException.Reason.MALFORMED);
  }

  @Test
  void customResourcesHaveNoPatchSchema() {
    assertThat(PatchSchema.forKind(new GroupVersionKind("example.com", "v1", "Widget"))).isEmpty();
  }

  @Test
  void builtInSchemasKnowMergeKeysThroughNestedTypes() {
    PatchSchema pod = schemaOf("v1/Pod");
    PatchSchema.Field containers = pod.field("spec").schema().field("containers");
    assertThat(containers.meta()).isEqualTo(PatchMeta.of("merge", "name"));
    PatchSchema.Field ports = containers.schema().field("ports");
    assertThat(ports.meta().mergeKey()).isEqualTo("containerPort");
    assertThat(pod.field("spec").schema().field("tolerations").meta()).isEqualTo(PatchMeta.NONE);
  }

  static PatchSchema schemaOf(String kindPath) {
    int slash = kindPath.lastIndexOf('/');
    GroupVersionKind gvk =
        GroupVersionKind.of(kindPath.substring(0, slash), kindPath.substring(slash + 1));
    return PatchSchema.forKind(gvk)
        .orElseThrow(() -> new IllegalArgumentException("no schema for " + kindPath));
  }
}
