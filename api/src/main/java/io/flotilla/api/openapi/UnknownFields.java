package io.flotilla.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.GroupVersionKind;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the fields of an object that its kind's schema does not know, for the apiserver's
 * fieldValidation (Strict rejects them, Warn reports them, Ignore drops them silently). Paths are
 * reported as upstream does: "spec.template.spec.containers[0].imagePullPolicyy".
 *
 * <p>Thread-safe: schemas are built once per kind and shared.
 */
public final class UnknownFields {
  private record KindSchemas(ObjectNode root, Map<String, ObjectNode> components) {}

  private final Map<GroupVersionKind, Optional<KindSchemas>> cache = new ConcurrentHashMap<>();

  /**
   * The unknown field paths in {@code object}; empty when all are known or the kind has no schema.
   */
  public List<String> find(GroupVersionKind gvk, JsonNode object) {
    Optional<KindSchemas> schemas = cache.computeIfAbsent(gvk, UnknownFields::build);
    List<String> unknown = new ArrayList<>();
    schemas.ifPresent(s -> walk(s, s.root(), object, "", unknown));
    return unknown;
  }

  /** Removes the unknown fields from {@code object} in place; returns their paths. */
  public List<String> prune(GroupVersionKind gvk, JsonNode object) {
    Optional<KindSchemas> schemas = cache.computeIfAbsent(gvk, UnknownFields::build);
    List<String> unknown = new ArrayList<>();
    schemas.ifPresent(s -> walkAndPrune(s, s.root(), object, "", unknown));
    return unknown;
  }

  private static Optional<KindSchemas> build(GroupVersionKind gvk) {
    return ModelClasses.forKind(gvk)
        .map(
            c -> {
              SchemaGenerator gen = new SchemaGenerator();
              ObjectNode ref = gen.ref(c);
              return new KindSchemas(resolve(gen.components(), ref), gen.components());
            });
  }

  private static ObjectNode resolve(Map<String, ObjectNode> components, JsonNode schema) {
    JsonNode ref = schema.get("$ref");
    if (ref != null) {
      return components.get(ref.asText().substring("#/components/schemas/".length()));
    }
    return (ObjectNode) schema;
  }

  private static void walk(
      KindSchemas s, JsonNode schema, JsonNode value, String path, List<String> out) {
    walkAndPrune(s, schema, value, path, out, false);
  }

  private static void walkAndPrune(
      KindSchemas s, JsonNode schema, JsonNode value, String path, List<String> out) {
    walkAndPrune(s, schema, value, path, out, true);
  }

  private static void walkAndPrune(
      KindSchemas s,
      JsonNode schema,
      JsonNode value,
      String path,
      List<String> out,
      boolean prune) {
    ObjectNode sch = resolve(s.components(), schema);
    if (sch == null || value == null || value.isNull()) {
      return;
    }
    if (value.isArray()) {
      JsonNode items = sch.get("items");
      if (items != null) {
        for (int i = 0; i < value.size(); i++) {
          walkAndPrune(s, items, value.get(i), path + "[" + i + "]", out, prune);
        }
      }
      return;
    }
    if (!value.isObject() || sch.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      return;
    }
    JsonNode additional = sch.get("additionalProperties");
    JsonNode props = sch.get("properties");
    Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String child = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
      if (props != null && props.has(f.getKey())) {
        walkAndPrune(s, props.get(f.getKey()), f.getValue(), child, out, prune);
      } else if (additional != null) {
        walkAndPrune(s, additional, f.getValue(), child, out, prune);
      } else if (props != null || "object".equals(sch.path("type").asText())) {
        out.add(child);
        if (prune) {
          fields.remove();
        }
      }
    }
  }
}
