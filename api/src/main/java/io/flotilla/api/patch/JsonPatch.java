package io.flotilla.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Applies an RFC 6902 JSON patch ({@code application/json-patch+json}): an array of add, remove,
 * replace, move, copy and test operations, applied in order to a copy of the target. Either every
 * operation applies or the target is left as it was: the caller's tree is never changed.
 *
 * <p>As the apiserver's JSON patch library does, an array index may be negative to count from the
 * end, and "-" names the position after the last element (only where a value is added).
 */
public final class JsonPatch {
  private JsonPatch() {}

  /**
   * Returns the patched copy of {@code target}.
   *
   * @throws PatchException MALFORMED if the patch is not an array of well-formed operations,
   *     UNPROCESSABLE if an operation does not apply (naming its index and why)
   */
  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (patch == null || !patch.isArray()) {
      throw PatchException.malformed("a JSON patch must be an array of operations");
    }
    JsonNode doc = target.deepCopy();
    for (int i = 0; i < patch.size(); i++) {
      Operation op = Operation.parse(i, patch.get(i));
      try {
        doc = op.applyTo(doc);
      } catch (IllegalStateException e) {
        throw PatchException.unprocessable(op.describe() + ": " + e.getMessage());
      }
    }
    return doc;
  }

  /** One parsed operation; {@code applyTo} returns the new document root. */
  private record Operation(
      int index, String op, JsonPointer path, JsonPointer from, JsonNode value) {
    static Operation parse(int index, JsonNode node) {
      String where = "operation " + index;
      if (!node.isObject()) {
        throw PatchException.malformed(where + " is not an object: " + JsonValues.brief(node));
      }
      String op = text(node, "op", where);
      JsonPointer path = pointer(node, "path", where + " (" + op + ")");
      JsonPointer from = null;
      JsonNode value = null;
      switch (op) {
        case "add", "replace", "test" -> {
          if (!node.has("value")) {
            throw PatchException.malformed(where + " (" + op + " " + path + ") has no \"value\"");
          }
          value = node.get("value");
        }
        case "move", "copy" -> from = pointer(node, "from", where + " (" + op + " " + path + ")");
        case "remove" -> {}
        default ->
            throw PatchException.malformed(
                where
                    + " has unknown op \""
                    + op
                    + "\"; expected add, remove, replace, move, copy or test");
      }
      return new Operation(index, op, path, from, value);
    }

    private static String text(JsonNode node, String field, String where) {
      JsonNode v = node.get(field);
      if (v == null || !v.isTextual()) {
        throw PatchException.malformed(where + " has no string \"" + field + "\"");
      }
      return v.asText();
    }

    private static JsonPointer pointer(JsonNode node, String field, String where) {
      try {
        return JsonPointer.parse(text(node, field, where));
      } catch (IllegalArgumentException e) {
        throw PatchException.malformed(where + ": " + e.getMessage());
      }
    }

    String describe() {
      return "operation " + index + " (" + op + " " + path + ")";
    }

    JsonNode applyTo(JsonNode doc) {
      return switch (op) {
        case "add" -> add(doc, path, value.deepCopy());
        case "remove" -> remove(doc, path);
        case "replace" -> replace(doc, path, value.deepCopy());
        case "move" -> move(doc);
        case "copy" -> add(doc, path, get(doc, from, "from").deepCopy());
        case "test" -> test(doc);
        default -> throw new IllegalStateException("unknown op");
      };
    }

    private JsonNode move(JsonNode doc) {
      if (path.isInside(from)) {
        throw new IllegalStateException("cannot move " + from + " into itself");
      }
      JsonNode moved = get(doc, from, "from");
      if (from.equals(path)) {
        return doc;
      }
      return add(remove(doc, from), path, moved);
    }

    private JsonNode test(JsonNode doc) {
      JsonNode actual = find(doc, path);
      boolean equal = actual == null ? value.isNull() : JsonValues.same(actual, value);
      if (!equal) {
        throw new IllegalStateException(
            "test failed: value at "
                + path
                + " is "
                + (actual == null ? "missing" : JsonValues.brief(actual))
                + ", not "
                + JsonValues.brief(value));
      }
      return doc;
    }
  }

  private static JsonNode add(JsonNode doc, JsonPointer path, JsonNode value) {
    if (path.isRoot()) {
      return value;
    }
    JsonNode parent = container(doc, path);
    if (parent instanceof ObjectNode obj) {
      obj.set(path.last(), value);
    } else {
      ArrayNode arr = (ArrayNode) parent;
      String token = path.last();
      int at = token.equals("-") ? arr.size() : index(token, arr.size(), true, path);
      arr.insert(at, value);
    }
    return doc;
  }

  private static JsonNode remove(JsonNode doc, JsonPointer path) {
    if (path.isRoot()) {
      throw new IllegalStateException("cannot remove the whole document");
    }
    JsonNode parent = container(doc, path);
    if (parent instanceof ObjectNode obj) {
      if (!obj.has(path.last())) {
        throw new IllegalStateException("path " + path + " does not exist");
      }
      obj.remove(path.last());
    } else {
      ArrayNode arr = (ArrayNode) parent;
      arr.remove(index(path.last(), arr.size(), false, path));
    }
    return doc;
  }

  private static JsonNode replace(JsonNode doc, JsonPointer path, JsonNode value) {
    if (path.isRoot()) {
      return value;
    }
    JsonNode parent = container(doc, path);
    if (parent instanceof ObjectNode obj) {
      if (!obj.has(path.last())) {
        throw new IllegalStateException("path " + path + " does not exist");
      }
      obj.set(path.last(), value);
    } else {
      ArrayNode arr = (ArrayNode) parent;
      arr.set(index(path.last(), arr.size(), false, path), value);
    }
    return doc;
  }

  private static JsonNode get(JsonNode doc, JsonPointer path, String role) {
    JsonNode found = find(doc, path);
    if (found == null) {
      throw new IllegalStateException(role + " path " + path + " does not exist");
    }
    return found;
  }

  /** The value at {@code path}, or null when there is none. */
  private static JsonNode find(JsonNode doc, JsonPointer path) {
    JsonNode at = doc;
    for (String token : path.tokens()) {
      if (at.isObject()) {
        at = at.get(token);
      } else if (at.isArray()) {
        int i = parseIndex(token);
        if (i < 0 && i != Integer.MIN_VALUE) {
          i += at.size();
        }
        at = i >= 0 && i < at.size() ? at.get(i) : null;
      } else {
        return null;
      }
      if (at == null) {
        return null;
      }
    }
    return at;
  }

  /** The object or array that holds (or will hold) the last token of {@code path}. */
  private static JsonNode container(JsonNode doc, JsonPointer path) {
    JsonNode parent = find(doc, path.parent());
    if (parent == null) {
      throw new IllegalStateException("parent " + path.parent() + " does not exist");
    }
    if (!parent.isContainerNode()) {
      throw new IllegalStateException(
          "parent "
              + path.parent()
              + " is a "
              + parent.getNodeType().name().toLowerCase()
              + " value");
    }
    return parent;
  }

  /**
   * The position a token names in an array of {@code size} elements: negative indexes count from
   * the end; {@code size} itself is allowed only where a value is inserted.
   */
  private static int index(String token, int size, boolean insert, JsonPointer path) {
    int i = parseIndex(token);
    if (i == Integer.MIN_VALUE) {
      throw new IllegalStateException("\"" + token + "\" in " + path + " is not an array index");
    }
    int resolved = i < 0 ? i + size : i;
    if (resolved < 0 || resolved > size || (resolved == size && !insert)) {
      throw new IllegalStateException(
          "index " + token + " in " + path + " is out of bounds (array has " + size + " elements)");
    }
    return resolved;
  }

  /** The integer a token names, or Integer.MIN_VALUE if it names none. */
  private static int parseIndex(String token) {
    if (!token.matches("-?[0-9]{1,9}")) {
      return Integer.MIN_VALUE;
    }
    return Integer.parseInt(token);
  }
}
