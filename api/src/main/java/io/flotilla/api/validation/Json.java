package io.flotilla.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Small readers and writers over Jackson trees, absent-tolerant. */
final class Json {
  private Json() {}

  static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Whether a field is absent or JSON null. */
  static boolean absent(JsonNode parent, String field) {
    JsonNode n = parent == null ? null : parent.get(field);
    return n == null || n.isNull();
  }

  /** The text of a string field, or null when absent or not a string. */
  static String text(JsonNode parent, String field) {
    JsonNode n = parent == null ? null : parent.get(field);
    return n != null && n.isTextual() ? n.textValue() : null;
  }

  /** The text of a string field, or "" when absent. */
  static String textOr(JsonNode parent, String field) {
    String t = text(parent, field);
    return t == null ? "" : t;
  }

  /** The object at a field, or null when absent or not an object. */
  static ObjectNode object(JsonNode parent, String field) {
    JsonNode n = parent == null ? null : parent.get(field);
    return n instanceof ObjectNode o ? o : null;
  }

  /** The object at a field, created empty when absent. */
  static ObjectNode objectOrCreate(ObjectNode parent, String field) {
    JsonNode n = parent.get(field);
    if (n instanceof ObjectNode o) {
      return o;
    }
    return parent.putObject(field);
  }

  /** The elements of an array field that are objects, in order; empty when absent. */
  static List<ObjectNode> objects(JsonNode parent, String field) {
    JsonNode n = parent == null ? null : parent.get(field);
    List<ObjectNode> out = new ArrayList<>();
    if (n instanceof ArrayNode a) {
      for (JsonNode e : a) {
        out.add(e instanceof ObjectNode o ? o : F.objectNode());
      }
    }
    return out;
  }

  /** The string elements of an array field; empty when absent. */
  static List<String> strings(JsonNode parent, String field) {
    JsonNode n = parent == null ? null : parent.get(field);
    List<String> out = new ArrayList<>();
    if (n instanceof ArrayNode a) {
      a.forEach(e -> out.add(e.asText()));
    }
    return out;
  }

  /** The entries of an object field of strings, in order; empty when absent. */
  static List<Map.Entry<String, JsonNode>> entries(JsonNode parent, String field) {
    JsonNode n = parent == null ? null : parent.get(field);
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    if (n instanceof ObjectNode o) {
      Iterator<Map.Entry<String, JsonNode>> it = o.fields();
      it.forEachRemaining(out::add);
    }
    return out;
  }

  /** The integer at a field, or null when absent or not integral. */
  static Long integer(JsonNode parent, String field) {
    JsonNode n = parent == null ? null : parent.get(field);
    return n != null && n.isIntegralNumber() ? n.longValue() : null;
  }

  static void putIfAbsent(ObjectNode o, String field, String value) {
    if (absent(o, field)) {
      o.put(field, value);
    }
  }

  static void putIfAbsent(ObjectNode o, String field, long value) {
    if (absent(o, field)) {
      o.put(field, value);
    }
  }

  static void putIfAbsent(ObjectNode o, String field, boolean value) {
    if (absent(o, field)) {
      o.put(field, value);
    }
  }

  /** An empty object at a field when absent. */
  static ObjectNode emptyIfAbsent(ObjectNode o, String field) {
    return objectOrCreate(o, field);
  }
}
