package io.flotilla.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code $setElementOrder/<field>}: merges the field's list as usual, then orders the elements that
 * the directive lists as it lists them, keeping the other (server-only) elements in their places
 * relative to the original. kubectl sends it with every list it patches. The directive and the list
 * it orders are removed from the patch once merged.
 */
final class ElementOrder {
  private ElementOrder() {}

  static void apply(ObjectNode original, ObjectNode patch, PatchSchema schema) {
    for (String key : StrategicMergePatch.iterable(patch)) {
      if (key.startsWith(Directives.SET_ELEMENT_ORDER)) {
        applyOne(original, patch, key, schema);
      }
    }
  }

  private static void applyOne(
      ObjectNode original, ObjectNode patch, String key, PatchSchema schema) {
    JsonNode orderNode = patch.remove(key);
    if (!orderNode.isArray()) {
      throw PatchException.unprocessable(
          key + " must be a list, not " + JsonValues.brief(orderNode));
    }
    String field = Directives.fieldOf(key, Directives.SET_ELEMENT_ORDER);
    ArrayNode originalList = listOrNull(original.get(field), "the original's " + field);
    ArrayNode patchList = listOrNull(patch.get(field), "the patch's " + field);
    PatchSchema.Field meta = schema.field(field);
    String mergeKey = meta.meta().mergeKey();
    List<JsonNode> order = ListMerge.elements((ArrayNode) orderNode);
    validate(patchList, order, mergeKey, key);

    List<JsonNode> merged;
    if (originalList != null && patchList == null) {
      merged = ListMerge.elements(originalList);
    } else if (originalList == null && patchList != null) {
      merged = ListMerge.elements((ArrayNode) Directives.cleanAdded(patchList));
    } else if (originalList != null) {
      merged =
          ListMerge.elements(
              StrategicMergePatch.mergeList(originalList, patchList, meta, false, schema.name()));
    } else {
      return;
    }
    List<JsonNode> listed = new ArrayList<>();
    List<JsonNode> serverOnly = new ArrayList<>();
    ListMerge.Kind partitionKind =
        mergeKey.isEmpty() ? ListMerge.Kind.STRING : ListMerge.Kind.OBJECT;
    ListMerge.partition(merged, order, mergeKey, partitionKind, listed, serverOnly);
    List<JsonNode> originalElements =
        originalList == null ? List.of() : ListMerge.elements(originalList);
    ListMerge.Kind kind =
        ListMerge.elementKind(
            originalElements, patchList == null ? List.of() : ListMerge.elements(patchList));
    original.set(
        field,
        ListMerge.array(
            ListMerge.order(listed, serverOnly, order, originalElements, mergeKey, kind)));
    patch.remove(field);
  }

  private static ArrayNode listOrNull(JsonNode value, String what) {
    if (value == null) {
      return null;
    }
    if (!value.isArray()) {
      throw PatchException.unprocessable(
          what + " must be a list to be ordered, not " + JsonValues.brief(value));
    }
    return (ArrayNode) value;
  }

  /**
   * The patch's list must name its elements in the directive's order (elements being deleted
   * aside), and only elements the directive names.
   */
  private static void validate(
      ArrayNode patchList, List<JsonNode> order, String mergeKey, String key) {
    if (patchList == null || patchList.isEmpty() || order.isEmpty()) {
      return;
    }
    List<JsonNode> items = new ArrayList<>();
    for (JsonNode p : patchList) {
      if (!mergeKey.isEmpty()) {
        if (!p.isObject()) {
          throw PatchException.unprocessable(
              "list element is not an object: " + JsonValues.brief(p));
        }
        JsonNode d = p.get(Directives.PATCH);
        if (d != null && d.isTextual() && d.asText().equals(Directives.DELETE)) {
          continue;
        }
      }
      items.add(p);
    }
    int pi = 0;
    int oi = 0;
    while (pi < items.size() && oi < order.size()) {
      JsonNode p = items.get(pi);
      if (p.isObject() && p.has(Directives.PATCH)) {
        pi++;
        continue;
      }
      boolean equal =
          mergeKey.isEmpty()
              ? JsonValues.same(p, order.get(oi))
              : JsonValues.same(
                  ListMerge.requireKey(p, mergeKey), ListMerge.requireKey(order.get(oi), mergeKey));
      if (equal) {
        pi++;
      }
      oi++;
    }
    if (pi < items.size()) {
      throw PatchException.unprocessable(
          "the order in the patch list "
              + JsonValues.brief(patchList)
              + " doesn't match the "
              + key
              + " list "
              + JsonValues.brief(ListMerge.array(order)));
    }
  }
}
