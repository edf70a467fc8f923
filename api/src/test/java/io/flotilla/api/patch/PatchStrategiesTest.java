package io.flotilla.api.patch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.KindRegistry;
import io.flotilla.api.openapi.OpenApiV3;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PatchStrategiesTest {
  private static final String MODEL = "io.fabric8.kubernetes.api.model";

  @Test
  void everyRowNamesAPropertyOfAModelClass() {
    ObjectMapper mapper = new ObjectMapper();
    Map<String, Set<String>> propertiesByClass = new HashMap<>();
    List<String> broken = new ArrayList<>();
    for (PatchStrategies.Entry e : PatchStrategies.all()) {
      String tail = e.component().substring("io.flotilla.model.".length());
      String className = tail.startsWith("core.") ? MODEL + tail.substring(4) : MODEL + "." + tail;
      Set<String> props =
          propertiesByClass.computeIfAbsent(className, name -> properties(mapper, name));
      if (!props.contains(e.field())) {
        broken.add(e.component() + "#" + e.field());
      }
    }
    assertThat(broken).isEmpty();
  }

  private static Set<String> properties(ObjectMapper mapper, String className) {
    try {
      BeanDescription bean =
          mapper
              .getSerializationConfig()
              .introspect(mapper.constructType(Class.forName(className)));
      return bean.findProperties().stream()
          .map(BeanPropertyDefinition::getName)
          .collect(Collectors.toSet());
    } catch (ClassNotFoundException e) {
      return Set.of();
    }
  }

  @Test
  void holdsUpstreamsMergeKeysForTheWellKnownLists() {
    assertThat(PatchStrategies.find("io.flotilla.model.core.PodSpec", "containers"))
        .get()
        .extracting(PatchStrategies.Entry::patchStrategy, PatchStrategies.Entry::mergeKey)
        .containsExactly("merge", "name");
    assertThat(PatchStrategies.find("io.flotilla.model.core.PodSpec", "volumes"))
        .get()
        .extracting(PatchStrategies.Entry::patchStrategy)
        .isEqualTo("merge,retainKeys");
    assertThat(PatchStrategies.find("io.flotilla.model.core.ServiceSpec", "ports"))
        .get()
        .extracting(PatchStrategies.Entry::mergeKey, PatchStrategies.Entry::listMapKeys)
        .containsExactly("port", List.of("port", "protocol"));
    assertThat(PatchStrategies.find("io.flotilla.model.apps.DeploymentSpec", "strategy"))
        .get()
        .extracting(PatchStrategies.Entry::patchStrategy)
        .isEqualTo("retainKeys");
    assertThat(PatchStrategies.find("io.flotilla.model.core.PodSpec", "tolerations"))
        .get()
        .extracting(PatchStrategies.Entry::patchStrategy, PatchStrategies.Entry::listType)
        .containsExactly("", "atomic");
    assertThat(PatchStrategies.find("io.flotilla.model.core.PodSpec", "hostname")).isEmpty();
  }

  @Test
  void generatedSchemasCarryThePatchExtensions() {
    ObjectNode doc = OpenApiV3.document("apps", "v1", KindRegistry.builtIn().all());
    var schemas = doc.path("components").path("schemas");
    var containers =
        schemas.path("io.flotilla.model.core.PodSpec").path("properties").path("containers");
    assertThat(containers.path("x-kubernetes-patch-strategy").asText()).isEqualTo("merge");
    assertThat(containers.path("x-kubernetes-patch-merge-key").asText()).isEqualTo("name");
    assertThat(containers.path("x-kubernetes-list-type").asText()).isEqualTo("map");
    assertThat(containers.path("x-kubernetes-list-map-keys").get(0).asText()).isEqualTo("name");
    var strategy =
        schemas.path("io.flotilla.model.apps.DeploymentSpec").path("properties").path("strategy");
    assertThat(strategy.path("x-kubernetes-patch-strategy").asText()).isEqualTo("retainKeys");
    assertThat(strategy.has("$ref")).isTrue();
  }
}
