package io.flotilla.api.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One step of a field path: a field of an object ({@code f:name}), the item of a list-map with the
 * given key fields ({@code k:{"name":"c"}}), the item of a set with the given value ({@code
 * v:"x"}), or a position in a list ({@code i:0}). Elements order as structured-merge-diff orders
 * them: fields, then keys, then values, then indexes.
 */
public sealed interface PathElement extends Comparable<PathElement> {
  ObjectMapper JSON = new ObjectMapper();

  /** The FieldsV1 spelling of the element. */
  String encode();

  /** The human-readable spelling used in conflict messages ({@code .spec}, {@code [name="c"]}). */
  String display();

  /** The rank of the element's kind in the ordering of elements. */
  int rank();

  @Override
  default int compareTo(PathElement o) {
    int r = Integer.compare(rank(), o.rank());
    if (r != 0) {
      return r;
    }
    if (this instanceof Field a && o instanceof Field b) {
      return a.name().compareTo(b.name());
    }
    return encode().compareTo(o.encode());
  }

  /** A field of an object (a struct field or a map key). */
  record Field(String name) implements PathElement {
    @Override
    public String encode() {
      return "f:" + name;
    }

    @Override
    public String display() {
      return "." + name;
    }

    @Override
    public int rank() {
      return 0;
    }
  }

  /**
   * The item of a list-map whose key fields have these values; fields sorted by name. Equal when
   * their encodings are, so numbers compare by value whatever their Java type.
   */
  final class Key implements PathElement {
    private final Map<String, JsonNode> fields;
    private final String encoded;

    public Key(Map<String, JsonNode> fields) {
      this.fields = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(fields));
      ObjectNode o = JSON.createObjectNode();
      this.fields.forEach(o::set);
      this.encoded = "k:" + compact(o);
    }

    public Map<String, JsonNode> fields() {
      return fields;
    }

    @Override
    public String encode() {
      return encoded;
    }

    @Override
    public String display() {
      List<String> parts = new ArrayList<>();
      fields.forEach((k, v) -> parts.add(k + "=" + compact(v)));
      return "[" + String.join(",", parts) + "]";
    }

    @Override
    public int rank() {
      return 1;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.encoded.equals(encoded);
    }

    @Override
    public int hashCode() {
      return encoded.hashCode();
    }

    @Override
    public String toString() {
      return encoded;
    }
  }

  /** The item of a set equal to this value. */
  final class Value implements PathElement {
    private final JsonNode value;
    private final String encoded;

    public Value(JsonNode value) {
      this.value = value;
      this.encoded = "v:" + compact(value);
    }

    public JsonNode value() {
      return value;
    }

    @Override
    public String encode() {
      return encoded;
    }

    @Override
    public String display() {
      return "[=" + encoded.substring(2) + "]";
    }

    @Override
    public int rank() {
      return 2;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Value v && v.encoded.equals(encoded);
    }

    @Override
    public int hashCode() {
      return encoded.hashCode();
    }

    @Override
    public String toString() {
      return encoded;
    }
  }

  /** A position in a list. */
  record Index(int index) implements PathElement {
    @Override
    public String encode() {
      return "i:" + index;
    }

    @Override
    public String display() {
      return "[" + index + "]";
    }

    @Override
    public int rank() {
      return 3;
    }
  }

  /** Parses a FieldsV1 key other than ".". */
  static PathElement decode(String s) {
    if (s.length() < 2 || s.charAt(1) != ':') {
      throw new IllegalArgumentException("unexpected FieldsV1 key " + quote(s));
    }
    String rest = s.substring(2);
    try {
      return switch (s.charAt(0)) {
        case 'f' -> new Field(rest);
        case 'k' -> {
          JsonNode n = JSON.readTree(rest);
          if (!(n instanceof ObjectNode o) || o.isEmpty()) {
            throw new IllegalArgumentException("FieldsV1 key " + quote(s) + " has no key fields");
          }
          Map<String, JsonNode> fields = new TreeMap<>();
          o.properties().forEach(e -> fields.put(e.getKey(), e.getValue()));
          yield new Key(fields);
        }
        case 'v' -> new Value(JSON.readTree(rest));
        case 'i' -> new Index(Integer.parseInt(rest));
        default -> throw new IllegalArgumentException("unexpected FieldsV1 key " + quote(s));
      };
    } catch (JsonProcessingException | NumberFormatException e) {
      throw new IllegalArgumentException("malformed FieldsV1 key " + quote(s), e);
    }
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }

  /** Compact JSON of a value, as FieldsV1 and conflict messages spell values. */
  static String compact(JsonNode n) {
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
