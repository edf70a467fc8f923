package io.flotilla.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a Kubernetes strategic merge patch ({@code application/strategic-merge-patch+json}) as
 * the apiserver does: like a JSON merge patch, except that lists whose field has the "merge"
 * strategy are merged (objects by their merge key, primitives as a union) and that the patch may
 * carry directives: {@code $patch} (replace, delete), {@code $retainKeys}, {@code
 * $setElementOrder/<field>} and {@code $deleteFromPrimitiveList/<field>}.
 *
 * <p>Within one map, directives are handled in upstream's order: {@code $patch} first, then {@code
 * $retainKeys}, then {@code $setElementOrder} with the lists it orders, then the other fields in
 * the patch's order, and deletions from primitive lists last (upstream's order between fields is Go
 * map order, so it leaves this open). The caller's trees are never changed.
 */
public final class StrategicMergePatch {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private StrategicMergePatch() {}

  /**
   * Returns the patched copy of {@code original}.
   *
   * @throws PatchException MALFORMED if the patch is not an object, UNPROCESSABLE if it cannot be
   *     applied (an unknown directive, an element without its merge key, mixed list elements...)
   */
  public static ObjectNode apply(JsonNode original, JsonNode patch, PatchSchema schema) {
    if (patch == null || !patch.isObject()) {
      throw PatchException.malformed("a strategic merge patch must be a JSON object");
    }
    ObjectNode target =
        original != null && original.isObject()
            ? ((ObjectNode) original).deepCopy()
            : JSON.objectNode();
    return mergeMap(target, ((ObjectNode) patch).deepCopy(), schema);
  }

  /** Merges {@code patch} into {@code original}; both are owned by this call and may change. */
  static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, PatchSchema schema) {
    if (patch.has(Directives.PATCH)) {
      return mapDirective(patch);
    }
    Directives.rejectUnknown(patch);
    retainKeys(original, patch);
    ElementOrder.apply(original, patch, schema);
    List<String> deletions = new ArrayList<>();
    for (String key : new ArrayList<>(iterable(patch))) {
      if (key.startsWith(Directives.DELETE_FROM_PRIMITIVE_LIST)) {
        deletions.add(key);
      } else {
        mergeField(original, key, patch.get(key), false, schema);
      }
    }
    for (String key : deletions) {
      String field = Directives.fieldOf(key, Directives.DELETE_FROM_PRIMITIVE_LIST);
      mergeField(original, field, patch.get(key), true, schema);
    }
    return original;
  }

  private static void mergeField(
      ObjectNode original,
      String key,
      JsonNode patchValue,
      boolean deleteList,
      PatchSchema schema) {
    if (patchValue.isNull()) {
      original.remove(key);
      return;
    }
    JsonNode originalValue = original.get(key);
    if (originalValue == null || shape(originalValue) != shape(patchValue)) {
      // Nothing to merge with: a deletion list has nothing to delete from, anything else is set.
      if (!deleteList) {
        JsonNode added = Directives.cleanAdded(patchValue);
        if (added == null) {
          original.remove(key);
        } else {
          original.set(key, added);
        }
      }
      return;
    }
    if (originalValue.isObject()) {
      PatchSchema.Field field = schema.field(key);
      String strategy = field.meta().mergeStrategy();
      original.set(
          key,
          strategy.equals(Directives.REPLACE)
              ? patchValue
              : mergeMap((ObjectNode) originalValue, (ObjectNode) patchValue, field.schema()));
    } else if (originalValue.isArray()) {
      PatchSchema.Field field = schema.field(key);
      original.set(
          key,
          mergeList(
              (ArrayNode) originalValue, (ArrayNode) patchValue, field, deleteList, schema.name()));
    } else {
      original.set(key, patchValue);
    }
  }

  /**
   * Merges two lists as the field's strategy says: "merge" merges, anything else replaces the
   * original list with the patch's.
   */
  static ArrayNode mergeList(
      ArrayNode original,
      ArrayNode patch,
      PatchSchema.Field field,
      boolean deleteList,
      String owner) {
    if (!field.meta().mergeStrategy().equals(Directives.MERGE)) {
      return patch;
    }
    return ListMerge.merge(original, patch, field, deleteList, owner);
  }

  /** A map carrying {@code $patch}: "replace" takes the patch as it is, "delete" empties it. */
  private static ObjectNode mapDirective(ObjectNode patch) {
    JsonNode directive = patch.get(Directives.PATCH);
    if (directive.isTextual() && directive.asText().equals(Directives.REPLACE)) {
      patch.remove(Directives.PATCH);
      return patch;
    }
    if (directive.isTextual() && directive.asText().equals(Directives.DELETE)) {
      return JSON.objectNode();
    }
    throw PatchException.unprocessable(
        "unknown patch type "
            + JsonValues.brief(directive)
            + " in map "
            + JsonValues.brief(patch)
            + "; a map accepts $patch: replace or delete");
  }

  /**
   * {@code $retainKeys}: the original keeps only the listed fields, and the patch may set no field
   * outside the list.
   */
  private static void retainKeys(ObjectNode original, ObjectNode patch) {
    JsonNode directive = patch.remove(Directives.RETAIN_KEYS);
    if (directive == null) {
      return;
    }
    if (!directive.isArray()) {
      throw PatchException.unprocessable(
          "$retainKeys must be a list of field names, not " + JsonValues.brief(directive));
    }
    Set<String> keep = new HashSet<>();
    for (JsonNode name : directive) {
      if (name.isTextual()) {
        keep.add(name.asText());
      }
    }
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      String key = e.getKey();
      if (e.getValue().isNull()
          || key.startsWith(Directives.DELETE_FROM_PRIMITIVE_LIST)
          || key.startsWith(Directives.SET_ELEMENT_ORDER)) {
        continue;
      }
      if (!keep.contains(key)) {
        throw PatchException.unprocessable(
            "the patch sets field \""
                + key
                + "\" which its $retainKeys list "
                + JsonValues.brief(directive)
                + " does not contain");
      }
    }
    original.retain(keep);
  }

  /** Upstream compares Go types: maps, lists, and every kind of scalar are different shapes. */
  private static int shape(JsonNode n) {
    if (n.isObject()) {
      return 1;
    }
    if (n.isArray()) {
      return 2;
    }
    return 3;
  }

  static List<String> iterable(ObjectNode node) {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }
}
