package io.flotilla.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The FieldsV1 encoding of a field set: a trie of JSON objects whose keys are path elements ({@code
 * f:}, {@code k:}, {@code v:}, {@code i:}); an empty object marks a member, and a {@code "."} key
 * marks a member that also has members under it. Keys are written in element order with "." first,
 * so equal sets encode to equal JSON.
 */
public final class FieldsV1 {
  private FieldsV1() {}

  /** A trie node: whether its path is a member, and its children by element. */
  private static final class Node {
    boolean member;
    final Map<PathElement, Node> children = new TreeMap<>();
  }

  public static ObjectNode encode(FieldSet set) {
    Node root = new Node();
    for (FieldPath p : set.paths()) {
      Node n = root;
      for (PathElement e : p.elements()) {
        n = n.children.computeIfAbsent(e, k -> new Node());
      }
      n.member = true;
    }
    return write(root, false);
  }

  private static ObjectNode write(Node n, boolean self) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    if (self && !n.children.isEmpty()) {
      o.putObject(".");
    }
    n.children.forEach((e, child) -> o.set(e.encode(), write(child, child.member)));
    return o;
  }

  /**
   * Decodes a FieldsV1 trie.
   *
   * @throws IllegalArgumentException naming the first malformed key
   */
  public static FieldSet decode(JsonNode fields) {
    if (fields == null || fields.isNull() || fields.isMissingNode()) {
      return FieldSet.empty();
    }
    if (!fields.isObject()) {
      throw new IllegalArgumentException("FieldsV1 must be a JSON object, not " + fields);
    }
    List<FieldPath> out = new ArrayList<>();
    read(FieldPath.ROOT, (ObjectNode) fields, out);
    return FieldSet.of(out);
  }

  private static void read(FieldPath at, ObjectNode o, List<FieldPath> out) {
    for (Map.Entry<String, JsonNode> e : o.properties()) {
      if (e.getKey().equals(".")) {
        if (at.size() > 0) {
          out.add(at);
        }
        continue;
      }
      FieldPath p = at.child(PathElement.decode(e.getKey()));
      if (!(e.getValue() instanceof ObjectNode child)) {
        throw new IllegalArgumentException(
            "FieldsV1 value of " + e.getKey() + " must be a JSON object");
      }
      if (child.isEmpty()) {
        out.add(p);
      } else {
        read(p, child, out);
      }
    }
  }
}
