package io.flotilla.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges an applied configuration into a live object and removes fields from it, by the list and
 * map types of {@link ApplySchema}: objects merge field by field, list-maps merge item by item on
 * their keys, sets take the union, and atomic values are replaced. Pure functions over copies.
 */
public final class ApplyMerge {
  private ApplyMerge() {}

  /** The live object with the configuration merged in; a null in the configuration removes. */
  public static ObjectNode merge(ObjectNode live, ObjectNode config, ApplySchema schema) {
    ObjectNode out = live.deepCopy();
    for (Map.Entry<String, JsonNode> e : config.properties()) {
      String k = e.getKey();
      JsonNode cv = e.getValue();
      if (cv.isNull()) {
        out.remove(k);
        continue;
      }
      out.set(k, mergeValue(live.get(k), cv, schema, k));
    }
    return out;
  }

  private static JsonNode mergeValue(JsonNode lv, JsonNode cv, ApplySchema parent, String field) {
    if (lv instanceof ObjectNode lo && cv instanceof ObjectNode co && !parent.atomicMap(field)) {
      return merge(lo, co, parent.field(field));
    }
    if (lv instanceof ArrayNode la && cv instanceof ArrayNode ca) {
      ApplySchema.ListType type = parent.listType(field);
      if (type != ApplySchema.ListType.ATOMIC) {
        ArrayNode merged = mergeList(la, ca, type, parent.listKeys(field), parent.field(field));
        if (merged != null) {
          return merged;
        }
      }
    }
    return cv.deepCopy();
  }

  /**
   * Merges granular lists: live items the configuration does not mention keep their place, the
   * configuration's items follow its order (merged with their live counterparts). Null when some
   * item has no identity in the list, so the configuration replaces the list.
   */
  private static ArrayNode mergeList(
      ArrayNode live,
      ArrayNode config,
      ApplySchema.ListType type,
      List<String> keys,
      ApplySchema elem) {
    Map<PathElement, JsonNode> liveById = new HashMap<>();
    PathElement[] liveIds = new PathElement[live.size()];
    for (int i = 0; i < live.size(); i++) {
      liveIds[i] = ObjectFields.itemElement(type, keys, live.get(i));
      if (liveIds[i] == null) {
        return null;
      }
      liveById.putIfAbsent(liveIds[i], live.get(i));
    }
    PathElement[] configIds = new PathElement[config.size()];
    Set<PathElement> inConfig = new HashSet<>();
    for (int i = 0; i < config.size(); i++) {
      configIds[i] = ObjectFields.itemElement(type, keys, config.get(i));
      if (configIds[i] == null || !inConfig.add(configIds[i])) {
        return null;
      }
    }
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    Set<PathElement> emitted = new HashSet<>();
    int l = 0;
    int r = 0;
    while (l < live.size() || r < config.size()) {
      if (l < live.size() && (!inConfig.contains(liveIds[l]) || emitted.contains(liveIds[l]))) {
        if (!inConfig.contains(liveIds[l]) && emitted.add(liveIds[l])) {
          out.add(live.get(l).deepCopy());
        }
        l++;
        continue;
      }
      if (r < config.size()) {
        JsonNode c = config.get(r);
        JsonNode lv = liveById.get(configIds[r]);
        out.add(
            lv instanceof ObjectNode lo && c instanceof ObjectNode co
                ? merge(lo, co, elem)
                : c.deepCopy());
        emitted.add(configIds[r]);
        r++;
        continue;
      }
      l++;
    }
    return out;
  }

  /**
   * Removes the field or item at {@code path} from {@code obj} in place. Objects and lists left
   * empty by the removal are removed with it, up to the root. Missing paths are ignored.
   */
  public static void remove(ObjectNode obj, FieldPath path, ApplySchema schema) {
    if (path.size() > 0) {
      removeIn(obj, path.elements(), 0, schema, "");
    }
  }

  /** Returns whether {@code node} was emptied by the removal. */
  private static boolean removeIn(
      JsonNode node, List<PathElement> path, int i, ApplySchema schema, String field) {
    PathElement e = path.get(i);
    boolean last = i == path.size() - 1;
    if (e instanceof PathElement.Field f && node instanceof ObjectNode o) {
      JsonNode child = o.get(f.name());
      if (child == null) {
        return false;
      }
      if (last || removeIn(child, path, i + 1, schema.field(f.name()), f.name())) {
        o.remove(f.name());
        return o.isEmpty();
      }
      return false;
    }
    if (node instanceof ArrayNode a) {
      int idx = indexOf(a, e, schema, field);
      if (idx < 0) {
        return false;
      }
      if (last) {
        a.remove(idx);
        return a.isEmpty();
      }
      removeIn(a.get(idx), path, i + 1, schema, field);
    }
    return false;
  }

  /** The position of the list item a path element names, -1 when absent. */
  private static int indexOf(ArrayNode a, PathElement e, ApplySchema schema, String field) {
    if (e instanceof PathElement.Index ix) {
      return ix.index() < a.size() ? ix.index() : -1;
    }
    ApplySchema.ListType type =
        e instanceof PathElement.Key ? ApplySchema.ListType.MAP : ApplySchema.ListType.SET;
    List<String> keys =
        e instanceof PathElement.Key k ? List.copyOf(k.fields().keySet()) : List.of();
    for (int i = 0; i < a.size(); i++) {
      if (e.equals(ObjectFields.itemElement(type, keys, a.get(i)))) {
        return i;
      }
    }
    return -1;
  }
}
