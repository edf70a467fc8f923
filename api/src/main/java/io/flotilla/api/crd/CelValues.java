package io.flotilla.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON values as CEL sees them, typed by the schema: "number" fields are doubles even when written
 * as 3, "integer" fields int64, objects maps and arrays lists.
 */
final class CelValues {
  private CelValues() {}

  static Object of(JsonNode schema, JsonNode v) {
    if (v == null || v.isMissingNode() || v.isNull()) {
      return com.google.protobuf.NullValue.NULL_VALUE;
    }
    if (v.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      JsonNode additional = Schemas.additionalSchema(schema);
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        JsonNode prop = Schemas.property(schema, e.getKey());
        map.put(e.getKey(), of(prop.isObject() ? prop : additional, e.getValue()));
      }
      return map;
    }
    if (v.isArray()) {
      List<Object> list = new ArrayList<>();
      v.forEach(item -> list.add(of(schema.path("items"), item)));
      return list;
    }
    if (v.isNumber()) {
      boolean integer =
          Schemas.type(schema).equals("integer")
              || (!Schemas.type(schema).equals("number") && Schemas.isWhole(v));
      return integer ? (Object) v.asLong() : (Object) v.asDouble();
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    return v.asText();
  }
}
