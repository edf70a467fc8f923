package io.flotilla.apiserver.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.KindRegistry;
import io.flotilla.api.ResourceType;
import io.flotilla.apiserver.cache.CachedObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedJsonTest {
  private static final ResourceType CONFIGMAPS =
      KindRegistry.builtIn().byResource("", "v1", "configmaps").orElseThrow();

  private static CachedObject configMap(String name, long rv) throws Exception {
    ObjectNode o =
        (ObjectNode)
            new ObjectMapper()
                .readTree(
                    """
                    {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s",
                     "namespace":"default","annotations":{"a":"\\u00e9\\"quoted\\""}},
                     "data":{"k":"line\\nbreak","n":"\\u2603"}}"""
                        .formatted(name));
    ((ObjectNode) o.get("metadata")).put("resourceVersion", Long.toString(rv));
    return new CachedObject("/registry/configmaps/default/" + name, rv, o);
  }

  @Test
  void aListFromSharedJsonIsByteForByteTheListTheTreePathWrites() throws Exception {
    List<CachedObject> objects = List.of(configMap("a", 5), configMap("b", 7));
    ObjectNode meta = JsonNodeFactory.instance.objectNode().put("resourceVersion", "9");

    byte[] shared =
        SharedJson.list(CONFIGMAPS, meta, objects.stream().map(CachedObject::json).toList());

    List<ObjectNode> copies = objects.stream().map(o -> o.object().deepCopy()).toList();
    byte[] tree =
        Replies.json(
                200,
                Representations.list(
                    Negotiation.JSON, null, CONFIGMAPS, copies, meta, Instant.EPOCH))
            .body();
    assertThat(new String(shared, "UTF-8")).isEqualTo(new String(tree, "UTF-8"));
  }

  @Test
  void anEmptyListFromSharedJsonHasAnEmptyItemsArray() throws Exception {
    ObjectNode meta = JsonNodeFactory.instance.objectNode().put("resourceVersion", "9");

    byte[] shared = SharedJson.list(CONFIGMAPS, meta, List.of());

    assertThat(new String(shared, "UTF-8"))
        .isEqualTo(
            "{\"kind\":\"ConfigMapList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"9\"},\"items\":[]}");
  }

  @Test
  void aWatchEventFromSharedJsonIsByteForByteTheEventTheTreePathWrites() throws Exception {
    CachedObject o = configMap("a", 5);

    byte[] shared = SharedJson.event("MODIFIED", o.json());

    ObjectNode ev = JsonNodeFactory.instance.objectNode().put("type", "MODIFIED");
    ev.set("object", o.object().deepCopy());
    assertThat(new String(shared, "UTF-8")).isEqualTo(new String(Replies.bytes(ev), "UTF-8"));
  }

  @Test
  void onlyObjectsStoredWithTheAddressedVersionAndKindAreServedFromSharedJson() throws Exception {
    CachedObject o = configMap("a", 5);
    ObjectNode other = o.object().deepCopy().put("apiVersion", "v2");

    assertThat(SharedJson.asAddressed(CONFIGMAPS, o)).isTrue();
    assertThat(SharedJson.asAddressed(CONFIGMAPS, new CachedObject(o.key(), 5, other))).isFalse();
    assertThat(SharedJson.asAddressed(CONFIGMAPS, null)).isFalse();
  }
}
