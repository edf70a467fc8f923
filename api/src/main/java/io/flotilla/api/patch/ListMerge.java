package io.flotilla.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges lists whose field has the "merge" strategy, and orders the result as upstream does.
 *
 * <p>Lists of objects merge element by element on the merge key: an element of the patch whose key
 * the original has is merged into it, any other is added; {@code {"$patch": "delete", key: v}}
 * removes the original's elements with that key and {@code {"$patch": "replace"}} makes the patch's
 * other elements the whole list. Lists of primitives merge as a union without duplicates, or, given
 * as {@code $deleteFromPrimitiveList/<field>}, lose the listed values.
 *
 * <p>Order: the patch's elements keep the patch's order, the original's other elements keep theirs,
 * and the two are interleaved by the original's order; elements new to the list come before the
 * original elements that follow them, as upstream's merge of the two sorted lists does.
 */
final class ListMerge {
  private ListMerge() {}

  /** The type of a list's elements; upstream merges only lists whose elements share a type. */
  enum Kind {
    OBJECT,
    ARRAY,
    STRING,
    INTEGER,
    FLOAT,
    BOOLEAN,
    NULL
  }

  static ArrayNode merge(
      ArrayNode originalList,
      ArrayNode patchList,
      PatchSchema.Field field,
      boolean deleteList,
      String owner) {
    if (originalList.isEmpty() && patchList.isEmpty()) {
      return originalList;
    }
    String mergeKey = field.meta().mergeKey();
    Kind kind = elementKind(elements(originalList), elements(patchList));
    List<JsonNode> original = elements(originalList);
    List<JsonNode> patch = elements(patchList);
    List<JsonNode> merged;
    if (kind != Kind.OBJECT) {
      if (deleteList) {
        return array(original.stream().filter(v -> indexOf(patch, v, "", kind) < 0).toList());
      }
      merged = new ArrayList<>();
      for (JsonNode v : concat(original, patch)) {
        if (indexOf(merged, v, "", kind) < 0) {
          merged.add(v);
        }
      }
      return array(ordered(merged, original, patch, mergeKey, kind));
    }
    if (mergeKey.isEmpty()) {
      throw PatchException.unprocessable(
          "cannot merge lists of objects without a merge key in " + owner);
    }
    Split split = applySpecialElements(original, patch, mergeKey);
    merged = mergeByKey(split.original(), split.patch(), mergeKey, field.schema());
    return array(ordered(merged, split.original(), split.patch(), mergeKey, kind));
  }

  /** The original and the patch once the patch's special ($patch) elements are applied. */
  private record Split(List<JsonNode> original, List<JsonNode> patch) {}

  /**
   * Applies the elements that carry {@code $patch}: "delete" removes the original's elements with
   * the same merge key, "replace" makes the patch's other elements the whole original. Returns the
   * resulting original and the patch without its special elements.
   */
  private static Split applySpecialElements(
      List<JsonNode> original, List<JsonNode> patch, String mergeKey) {
    List<JsonNode> kept = new ArrayList<>();
    boolean replace = false;
    for (JsonNode p : patch) {
      JsonNode directive = p.get(Directives.PATCH);
      String type = directive != null && directive.isTextual() ? directive.asText() : null;
      if (directive == null) {
        kept.add(p);
      } else if (Directives.DELETE.equals(type)) {
        JsonNode value = requireKey(p, mergeKey);
        original = original.stream().filter(o -> !hasKey(o, mergeKey, value)).toList();
      } else if (Directives.REPLACE.equals(type)) {
        replace = true; // the other special elements are still pruned
      } else if (Directives.MERGE.equals(type)) {
        throw PatchException.unprocessable(
            "$patch: merge cannot be given for a list element: " + JsonValues.brief(p));
      } else {
        throw PatchException.unprocessable(
            "unknown patch type "
                + JsonValues.brief(directive)
                + " in list element "
                + JsonValues.brief(p)
                + "; a list element accepts $patch: delete or replace");
      }
    }
    return replace ? new Split(kept, List.of()) : new Split(original, kept);
  }

  /** Orders a merged list: see the class comment. */
  private static List<JsonNode> ordered(
      List<JsonNode> merged,
      List<JsonNode> original,
      List<JsonNode> patch,
      String mergeKey,
      Kind kind) {
    List<JsonNode> fromPatch = new ArrayList<>();
    List<JsonNode> serverOnly = new ArrayList<>();
    partition(merged, patch, mergeKey, kind, fromPatch, serverOnly);
    return order(fromPatch, serverOnly, patch, original, mergeKey, kind);
  }

  private static List<JsonNode> mergeByKey(
      List<JsonNode> original, List<JsonNode> patch, String mergeKey, PatchSchema elementSchema) {
    List<JsonNode> merged = new ArrayList<>(original);
    for (JsonNode p : patch) {
      JsonNode value = requireKey(p, mergeKey);
      int at = -1;
      for (int i = 0; i < merged.size() && at < 0; i++) {
        if (!merged.get(i).isObject()) {
          throw PatchException.unprocessable(
              "list element " + i + " is not an object: " + JsonValues.brief(merged.get(i)));
        }
        at = hasKey(merged.get(i), mergeKey, value) ? i : -1;
      }
      if (at >= 0) {
        merged.set(
            at,
            StrategicMergePatch.mergeMap(
                (ObjectNode) merged.get(at), (ObjectNode) p, elementSchema));
      } else {
        merged.add(Directives.cleanAppended(p));
      }
    }
    return merged;
  }

  /** Splits {@code merged} into the elements {@code by} names and the others. */
  static void partition(
      List<JsonNode> merged,
      List<JsonNode> by,
      String mergeKey,
      Kind kind,
      List<JsonNode> named,
      List<JsonNode> others) {
    for (JsonNode v : merged) {
      if (!mergeKey.isEmpty()) {
        JsonNode value = requireKey(v, mergeKey);
        for (JsonNode b : by) {
          if (!b.isObject()) {
            throw PatchException.unprocessable(
                "list element is not an object: " + JsonValues.brief(b));
          }
        }
        (by.stream().anyMatch(b -> hasKey(b, mergeKey, value)) ? named : others).add(v);
      } else {
        (indexOf(by, v, "", Kind.STRING) >= 0 ? named : others).add(v);
      }
    }
  }

  /**
   * Orders the patch's elements by {@code patchOrder} and the server-only ones by {@code
   * serverOrder}, then interleaves them by {@code serverOrder}.
   */
  static List<JsonNode> order(
      List<JsonNode> fromPatch,
      List<JsonNode> serverOnly,
      List<JsonNode> patchOrder,
      List<JsonNode> serverOrder,
      String mergeKey,
      Kind kind) {
    List<JsonNode> left = sortBy(serverOnly, serverOrder, mergeKey, kind);
    List<JsonNode> right = sortBy(fromPatch, patchOrder, mergeKey, kind);
    List<JsonNode> out = new ArrayList<>(left.size() + right.size());
    int i = 0;
    int j = 0;
    while (i < left.size() || j < right.size()) {
      if (j >= right.size()) {
        out.add(left.get(i++));
      } else if (i >= left.size()) {
        out.add(right.get(j++));
      } else {
        int li = indexOf(serverOrder, left.get(i), mergeKey, kind);
        int ri = indexOf(serverOrder, right.get(j), mergeKey, kind);
        // Only when both are known to the original, and the server's comes first, does it lead.
        out.add(li >= 0 && ri >= 0 && li < ri ? left.get(i++) : right.get(j++));
      }
    }
    return out;
  }

  /**
   * Sorts by position in {@code order} with the insertion sort Go's stable sort uses on short
   * lists, including its treatment of elements {@code order} lacks (they move forward); elements
   * carrying {@code $patch: delete} go last.
   */
  private static List<JsonNode> sortBy(
      List<JsonNode> toSort, List<JsonNode> order, String mergeKey, Kind kind) {
    List<JsonNode> items = new ArrayList<>();
    List<JsonNode> deletes = new ArrayList<>();
    if (kind == Kind.OBJECT) {
      for (JsonNode v : concat(toSort, order)) {
        requireKey(v, mergeKey);
      }
      for (JsonNode v : toSort) {
        JsonNode d = v.get(Directives.PATCH);
        (d != null && d.isTextual() && d.asText().equals(Directives.DELETE) ? deletes : items)
            .add(v);
      }
    } else {
      items.addAll(toSort);
    }
    for (int i = 1; i < items.size(); i++) {
      for (int j = i; j > 0 && less(items.get(j), items.get(j - 1), order, mergeKey, kind); j--) {
        items.set(j, items.set(j - 1, items.get(j)));
      }
    }
    items.addAll(deletes);
    return items;
  }

  private static boolean less(
      JsonNode a, JsonNode b, List<JsonNode> order, String mergeKey, Kind kind) {
    int ia = indexOf(order, a, mergeKey, kind);
    int ib = ia >= 0 ? indexOf(order, b, mergeKey, kind) : -1;
    return ia < 0 || ib < 0 || ia < ib;
  }

  /** The position of {@code v} in {@code list}, by merge key for objects, else by value. */
  static int indexOf(List<JsonNode> list, JsonNode v, String mergeKey, Kind kind) {
    JsonNode key = kind == Kind.OBJECT ? keyOf(v, mergeKey) : v;
    for (int i = 0; i < list.size(); i++) {
      JsonNode other = kind == Kind.OBJECT ? keyOf(list.get(i), mergeKey) : list.get(i);
      if (JsonValues.same(key, other)) {
        return i;
      }
    }
    return -1;
  }

  private static JsonNode keyOf(JsonNode v, String mergeKey) {
    return v.isObject() ? v.get(mergeKey) : null;
  }

  static boolean hasKey(JsonNode element, String mergeKey, JsonNode value) {
    JsonNode own = element.get(mergeKey);
    return own != null && JsonValues.same(own, value);
  }

  /** The merge key's value in a list element, which must be an object that has it. */
  static JsonNode requireKey(JsonNode element, String mergeKey) {
    if (!element.isObject()) {
      throw PatchException.unprocessable(
          "list element is not an object: " + JsonValues.brief(element));
    }
    JsonNode value = element.get(mergeKey);
    if (value == null) {
      throw PatchException.unprocessable(
          "map " + JsonValues.brief(element) + " does not contain declared merge key: " + mergeKey);
    }
    return value;
  }

  /** The common type of the elements of some lists; lists of lists and mixed lists are refused. */
  static Kind elementKind(List<JsonNode> first, List<JsonNode> second) {
    Kind kind = null;
    for (JsonNode v : concat(first, second)) {
      Kind k = kindOf(v);
      if (k == Kind.ARRAY) {
        throw PatchException.unprocessable("lists of lists are not supported");
      }
      if (kind != null && kind != k) {
        throw PatchException.unprocessable(
            "list element types are not identical: " + first + " and " + second);
      }
      kind = k;
    }
    if (kind == null) {
      throw PatchException.unprocessable("no elements in any of the given lists");
    }
    return kind;
  }

  private static Kind kindOf(JsonNode v) {
    return switch (v.getNodeType()) {
      case OBJECT, POJO -> Kind.OBJECT;
      case ARRAY -> Kind.ARRAY;
      case STRING, BINARY -> Kind.STRING;
      case NUMBER -> v.isIntegralNumber() ? Kind.INTEGER : Kind.FLOAT;
      case BOOLEAN -> Kind.BOOLEAN;
      default -> Kind.NULL;
    };
  }

  static List<JsonNode> elements(ArrayNode list) {
    List<JsonNode> out = new ArrayList<>(list.size());
    list.forEach(out::add);
    return out;
  }

  static ArrayNode array(List<JsonNode> elements) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode(elements.size());
    out.addAll(elements);
    return out;
  }

  private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
    List<JsonNode> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
