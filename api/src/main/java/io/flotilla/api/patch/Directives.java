package io.flotilla.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The directive keys of strategic merge patch, and cleaning them out of values a patch adds. */
final class Directives {
  private Directives() {}

  static final String PATCH = "$patch";
  static final String RETAIN_KEYS = "$retainKeys";
  static final String SET_ELEMENT_ORDER = "$setElementOrder";
  static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList";

  static final String REPLACE = "replace";
  static final String DELETE = "delete";
  static final String MERGE = "merge";

  /** Whether a key is one of the directives (or a directive prefix followed by a field). */
  static boolean isDirective(String key) {
    return key.equals(PATCH)
        || key.equals(RETAIN_KEYS)
        || key.startsWith(SET_ELEMENT_ORDER)
        || key.startsWith(DELETE_FROM_PRIMITIVE_LIST);
  }

  /**
   * Rejects keys that look like directives but are none. Upstream would store such a key as an
   * unknown field and drop it when decoding the typed object; Flotilla keeps objects as trees, so
   * it refuses the patch instead of storing the key.
   */
  static void rejectUnknown(ObjectNode patch) {
    for (Iterator<String> it = patch.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (key.startsWith("$") && !isDirective(key)) {
        throw PatchException.unprocessable(
            "unknown strategic merge patch directive \""
                + key
                + "\"; expected $patch, $retainKeys, $setElementOrder/<field> or "
                + "$deleteFromPrimitiveList/<field>");
      }
    }
  }

  /** The field a prefixed directive ("$setElementOrder/containers") applies to. */
  static String fieldOf(String key, String prefix) {
    int slash = key.indexOf('/');
    if (slash < 0 || !key.substring(0, slash).equals(prefix) || slash == key.length() - 1) {
      throw PatchException.unprocessable(
          "invalid directive \"" + key + "\": expected " + prefix + "/<field>");
    }
    return key.substring(slash + 1);
  }

  /**
   * Prepares a value the patch adds where the original has nothing to merge with, as upstream does:
   * nulls are dropped, and a map carrying {@code $patch} is dropped whole. Returns null when the
   * value itself is dropped. Remaining directive keys are removed too, as decoding the typed object
   * would upstream.
   */
  static JsonNode cleanAdded(JsonNode value) {
    if (value instanceof ObjectNode obj) {
      if (obj.has(PATCH)) {
        return null;
      }
      List<String> drop = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : obj.properties()) {
        JsonNode cleaned = e.getValue().isNull() ? null : cleanAdded(e.getValue());
        if (cleaned == null || isDirective(e.getKey())) {
          drop.add(e.getKey());
        } else {
          e.setValue(cleaned);
        }
      }
      obj.remove(drop);
      return obj;
    }
    if (value instanceof ArrayNode arr) {
      ArrayNode out = arr.arrayNode();
      for (JsonNode element : arr) {
        JsonNode cleaned = cleanAdded(element);
        if (cleaned != null) {
          out.add(cleaned);
        }
      }
      return out;
    }
    return value;
  }

  /**
   * Prepares an element a merging list gains from the patch: upstream appends it as sent, and
   * decoding the typed object then drops its nulls and directive keys; this does the same.
   */
  static JsonNode cleanAppended(JsonNode value) {
    if (value instanceof ObjectNode obj) {
      List<String> drop = new ArrayList<>();
      for (Map.Entry<String, JsonNode> e : obj.properties()) {
        if (e.getValue().isNull() || isDirective(e.getKey())) {
          drop.add(e.getKey());
        } else {
          e.setValue(cleanAppended(e.getValue()));
        }
      }
      obj.remove(drop);
    } else if (value instanceof ArrayNode arr) {
      for (int i = 0; i < arr.size(); i++) {
        arr.set(i, cleanAppended(arr.get(i)));
      }
    }
    return value;
  }
}
