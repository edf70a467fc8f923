package io.flotilla.api.crd;

import static io.flotilla.api.crd.Schemas.child;
import static io.flotilla.api.crd.Schemas.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Structural pruning: drops every field the schema does not specify. Below
 * x-kubernetes-preserve-unknown-fields unknown fields are kept (known ones are still descended
 * into); at the resource root and in x-kubernetes-embedded-resource objects apiVersion, kind and
 * metadata are kept, as upstream keeps them. Modifies in place and returns the dropped paths.
 */
final class Pruner {
  private static final Set<String> RESOURCE_FIELDS = Set.of("apiVersion", "kind", "metadata");

  private final List<String> pruned = new ArrayList<>();

  private Pruner() {}

  static List<String> prune(JsonNode schema, ObjectNode object) {
    Pruner p = new Pruner();
    p.pruneObject(schema, object, "", true);
    return List.copyOf(p.pruned);
  }

  /** Prunes a value that is not a resource root (a default), returning paths relative to it. */
  static List<String> pruneValue(JsonNode schema, JsonNode value) {
    Pruner p = new Pruner();
    p.prune(schema, value, "");
    return List.copyOf(p.pruned);
  }

  private void prune(JsonNode schema, JsonNode value, String path) {
    if (value instanceof ObjectNode object) {
      pruneObject(schema, object, path, Schemas.embeddedResource(schema));
    } else if (value.isArray() && schema.path("items").isObject()) {
      for (int i = 0; i < value.size(); i++) {
        prune(schema.get("items"), value.get(i), index(path, i));
      }
    }
  }

  private void pruneObject(JsonNode schema, ObjectNode object, String path, boolean resource) {
    boolean preserve = Schemas.preservesUnknownFields(schema);
    JsonNode additional = schema.path("additionalProperties");
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      JsonNode prop = Schemas.property(schema, name);
      if (resource && RESOURCE_FIELDS.contains(name)) {
        continue;
      }
      if (prop.isObject()) {
        prune(prop, object.get(name), child(path, name));
      } else if (additional.isObject()) {
        prune(additional, object.get(name), child(path, name));
      } else if (!preserve && !(additional.isBoolean() && additional.asBoolean())) {
        object.remove(name);
        pruned.add(child(path, name));
      }
    }
  }
}
