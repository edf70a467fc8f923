package io.flotilla.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * Reading an OpenAPI v3 schema node of a CRD (a JSONSchemaProps as JSON) and building the field
 * paths that upstream reports ("spec.ports[0].name"). Stateless.
 */
final class Schemas {
  private Schemas() {}

  static final ObjectMapper MAPPER = new ObjectMapper();

  static String type(JsonNode schema) {
    return schema.path("type").asText("");
  }

  static boolean flag(JsonNode schema, String name) {
    return schema.path(name).asBoolean(false);
  }

  static boolean preservesUnknownFields(JsonNode schema) {
    return flag(schema, "x-kubernetes-preserve-unknown-fields");
  }

  static boolean intOrString(JsonNode schema) {
    return flag(schema, "x-kubernetes-int-or-string");
  }

  static boolean embeddedResource(JsonNode schema) {
    return flag(schema, "x-kubernetes-embedded-resource");
  }

  static boolean nullable(JsonNode schema) {
    return flag(schema, "nullable");
  }

  /** The named property's schema, or a missing node. */
  static JsonNode property(JsonNode schema, String name) {
    return schema.path("properties").path(name);
  }

  /** The schema of map values when additionalProperties is a schema, else a missing node. */
  static JsonNode additionalSchema(JsonNode schema) {
    JsonNode ap = schema.path("additionalProperties");
    return ap.isObject() ? ap : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  static boolean exists(JsonNode n) {
    return !n.isMissingNode() && !n.isNull();
  }

  static Iterable<Map.Entry<String, JsonNode>> properties(JsonNode schema) {
    return schema.path("properties").properties();
  }

  static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  static String index(String path, int i) {
    return path + "[" + i + "]";
  }

  static String key(String path, String key) {
    return path + "[" + key + "]";
  }

  /** The JSON type of a value as upstream names it in type errors. */
  static String jsonType(JsonNode v) {
    if (v.isNull()) {
      return "null";
    }
    if (v.isTextual()) {
      return "string";
    }
    if (v.isBoolean()) {
      return "boolean";
    }
    if (v.isIntegralNumber()) {
      return "integer";
    }
    if (v.isNumber()) {
      return isWhole(v) ? "integer" : "number";
    }
    return v.isArray() ? "array" : "object";
  }

  static boolean isWhole(JsonNode v) {
    if (v.isIntegralNumber()) {
      return true;
    }
    double d = v.asDouble();
    return v.isNumber() && !Double.isInfinite(d) && d == Math.rint(d);
  }

  /** A value as Go's field errors print it: strings quoted, scalars bare, the rest as JSON. */
  static String describe(JsonNode v) {
    if (v == null || v.isMissingNode() || v.isNull()) {
      return "null";
    }
    if (v.isTextual()) {
      return quote(v.asText());
    }
    return v.toString();
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
