package io.flotilla.apiserver.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultStorageClassPickTest {
  private static final ObjectMapper M = new ObjectMapper();

  private static ObjectNode sc(String name, String created, String annotation, String value) {
    ObjectNode o = M.createObjectNode();
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", name).put("creationTimestamp", created);
    if (annotation != null) {
      meta.putObject("annotations").put(annotation, value);
    }
    return o;
  }

  @Test
  void theNewestDefaultClassWins() {
    List<ObjectNode> all =
        List.of(
            sc("old", "2024-01-01T00:00:00Z", DefaultStorageClass.IS_DEFAULT_CLASS, "true"),
            sc("new", "2025-01-01T00:00:00Z", DefaultStorageClass.BETA_IS_DEFAULT_CLASS, "true"),
            sc("newest", "2026-01-01T00:00:00Z", DefaultStorageClass.IS_DEFAULT_CLASS, "false"));
    assertThat(DefaultStorageClass.pick(all)).contains("new");
  }

  @Test
  void equalAgesPickTheFirstName() {
    List<ObjectNode> all =
        List.of(
            sc("b", "2024-01-01T00:00:00Z", DefaultStorageClass.IS_DEFAULT_CLASS, "true"),
            sc("a", "2024-01-01T00:00:00Z", DefaultStorageClass.IS_DEFAULT_CLASS, "true"));
    assertThat(DefaultStorageClass.pick(all)).contains("a");
  }

  @Test
  void noMarkedClassPicksNothing() {
    assertThat(DefaultStorageClass.pick(List.of(sc("x", "2024-01-01T00:00:00Z", null, null))))
        .isEmpty();
  }
}
