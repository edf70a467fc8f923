package io.flotilla.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Structural defaulting, as upstream applies it when reading a request body: at every object a
 * property that is absent (or null where the schema is not nullable) gets a deep copy of its
 * default, then defaulting descends into every present value, including the ones just defaulted. A
 * missing parent is never created unless it has a default of its own. Modifies in place.
 */
final class Defaulter {
  private Defaulter() {}

  static void apply(JsonNode schema, JsonNode value) {
    if (!schema.isObject()) {
      return;
    }
    if (value instanceof ObjectNode object) {
      applyToObject(schema, object);
    } else if (value instanceof ArrayNode array) {
      applyToArray(schema.path("items"), array);
    }
  }

  private static void applyToObject(JsonNode schema, ObjectNode object) {
    for (Map.Entry<String, JsonNode> e : Schemas.properties(schema)) {
      JsonNode prop = e.getValue();
      JsonNode current = object.get(e.getKey());
      if (prop.has("default") && (current == null || nonNullableNull(current, prop))) {
        object.set(e.getKey(), prop.get("default").deepCopy());
      }
    }
    JsonNode additional = Schemas.additionalSchema(schema);
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      JsonNode prop = Schemas.property(schema, name);
      if (prop.isObject()) {
        apply(prop, object.get(name));
      } else if (additional.isObject()) {
        if (additional.has("default") && nonNullableNull(object.get(name), additional)) {
          object.set(name, additional.get("default").deepCopy());
        }
        apply(additional, object.get(name));
      }
    }
  }

  private static void applyToArray(JsonNode items, ArrayNode array) {
    if (!items.isObject()) {
      return;
    }
    for (int i = 0; i < array.size(); i++) {
      if (items.has("default") && nonNullableNull(array.get(i), items)) {
        array.set(i, items.get("default").deepCopy());
      }
      apply(items, array.get(i));
    }
  }

  private static boolean nonNullableNull(JsonNode value, JsonNode schema) {
    return value.isNull() && !Schemas.nullable(schema);
  }
}
