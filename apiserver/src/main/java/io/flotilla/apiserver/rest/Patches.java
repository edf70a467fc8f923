package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The patch formats: JSON merge patch (RFC 7386), JSON patch (RFC 6902), and strategic merge patch
 * approximated as a merge patch that drops its {@code $} directives (lists are replaced, not merged
 * by key; the schema-aware merge comes with OpenAPI). Pure functions.
 */
public final class Patches {
  private Patches() {}

  public static JsonNode apply(String mediaType, JsonNode target, JsonNode patch) {
    return switch (mediaType) {
      case "application/json-patch+json" -> jsonPatch(target, patch);
      case "application/merge-patch+json", "application/apply-patch+yaml" ->
          mergePatch(target, patch, false);
      case "application/strategic-merge-patch+json" -> mergePatch(target, patch, true);
      default ->
          throw new StatusException(
              415,
              "UnsupportedMediaType",
              "the body of the request was in an unknown format - accepted media types include:"
                  + " application/json-patch+json, application/merge-patch+json,"
                  + " application/apply-patch+yaml, application/strategic-merge-patch+json",
              null);
    };
  }

  static JsonNode mergePatch(JsonNode target, JsonNode patch, boolean strategic) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode out =
        target != null && target.isObject()
            ? (ObjectNode) target.deepCopy()
            : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String k = e.getKey();
      if (strategic && k.startsWith("$")) {
        continue;
      }
      if (e.getValue().isNull()) {
        out.remove(k);
      } else if (e.getValue().isObject()) {
        if (strategic && "delete".equals(e.getValue().path("$patch").asText())) {
          out.remove(k);
        } else {
          out.set(k, mergePatch(out.get(k), e.getValue(), strategic));
        }
      } else {
        out.set(k, e.getValue().deepCopy());
      }
    }
    return out;
  }

  static JsonNode jsonPatch(JsonNode target, JsonNode patch) {
    if (!patch.isArray()) {
      throw StatusException.badRequest("a JSON patch must be an array of operations");
    }
    JsonNode doc = target.deepCopy();
    for (JsonNode op : patch) {
      String kind = op.path("op").asText();
      String path = op.path("path").asText(null);
      if (path == null) {
        throw StatusException.badRequest("JSON patch operation \"" + kind + "\" lacks a path");
      }
      doc =
          switch (kind) {
            case "add" -> add(doc, path, value(op));
            case "remove" -> remove(doc, path);
            case "replace" -> add(remove(doc, path), path, value(op));
            case "move" -> {
              String from = op.path("from").asText();
              JsonNode v = get(doc, from);
              yield add(remove(doc, from), path, v);
            }
            case "copy" -> add(doc, path, get(doc, op.path("from").asText()).deepCopy());
            case "test" -> {
              if (!get(doc, path).equals(value(op))) {
                throw new StatusException(
                    422, "Invalid", "the JSON patch test at " + path + " failed", null);
              }
              yield doc;
            }
            default ->
                throw StatusException.badRequest("unknown JSON patch operation \"" + kind + "\"");
          };
    }
    return doc;
  }

  private static JsonNode value(JsonNode op) {
    if (!op.has("value")) {
      throw StatusException.badRequest(
          "JSON patch operation at " + op.path("path").asText() + " lacks a value");
    }
    return op.get("value").deepCopy();
  }

  private static List<String> tokens(String path) {
    List<String> out = new ArrayList<>();
    if (path.isEmpty()) {
      return out;
    }
    if (!path.startsWith("/")) {
      throw StatusException.badRequest("JSON pointer \"" + path + "\" must start with '/'");
    }
    for (String t : path.substring(1).split("/", -1)) {
      out.add(t.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  private static JsonNode get(JsonNode doc, String path) {
    JsonNode cur = doc;
    for (String t : tokens(path)) {
      cur = cur.isArray() ? cur.get(index(t, cur.size() - 1, path)) : cur.get(t);
      if (cur == null) {
        throw missing(path);
      }
    }
    return cur;
  }

  private static JsonNode add(JsonNode doc, String path, JsonNode value) {
    List<String> t = tokens(path);
    if (t.isEmpty()) {
      return value;
    }
    JsonNode parent = get(doc, parentPath(t));
    String last = t.getLast();
    if (parent instanceof ObjectNode o) {
      o.set(last, value);
    } else if (parent instanceof ArrayNode a) {
      if (last.equals("-")) {
        a.add(value);
      } else {
        a.insert(index(last, a.size(), path), value);
      }
    } else {
      throw missing(path);
    }
    return doc;
  }

  private static JsonNode remove(JsonNode doc, String path) {
    List<String> t = tokens(path);
    JsonNode parent = get(doc, parentPath(t));
    String last = t.getLast();
    if (parent instanceof ObjectNode o && o.has(last)) {
      o.remove(last);
    } else if (parent instanceof ArrayNode a) {
      a.remove(index(last, a.size() - 1, path));
    } else {
      throw missing(path);
    }
    return doc;
  }

  private static String parentPath(List<String> t) {
    StringBuilder b = new StringBuilder();
    for (String s : t.subList(0, t.size() - 1)) {
      b.append('/').append(s.replace("~", "~0").replace("/", "~1"));
    }
    return b.toString();
  }

  private static int index(String t, int max, String path) {
    try {
      int i = Integer.parseInt(t);
      if (i < 0 || i > max) {
        throw missing(path);
      }
      return i;
    } catch (NumberFormatException e) {
      throw StatusException.badRequest(
          "JSON pointer \"" + path + "\": \"" + t + "\" is not an array index");
    }
  }

  private static StatusException missing(String path) {
    return new StatusException(
        422, "Invalid", "the JSON patch path " + path + " does not exist in the object", null);
  }
}
