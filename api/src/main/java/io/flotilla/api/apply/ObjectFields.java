package io.flotilla.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The fields of an object as server-side apply counts them: every scalar, null, empty object and
 * atomic list or map is a leaf; every item of a set or list-map is a member of its own, and the
 * fields of list-map items are counted beneath it. Identity and server-owned metadata (apiVersion,
 * kind, metadata.name, uid, resourceVersion, ...) are never anyone's fields.
 */
public final class ObjectFields {
  /** Marks a list item's own path in a leaf map. */
  private static final JsonNode ITEM = MissingNode.getInstance();

  private static final Set<FieldPath> STRIPPED =
      Set.of(
          FieldPath.of("apiVersion"),
          FieldPath.of("kind"),
          FieldPath.of("metadata", "name"),
          FieldPath.of("metadata", "namespace"),
          FieldPath.of("metadata", "creationTimestamp"),
          FieldPath.of("metadata", "selfLink"),
          FieldPath.of("metadata", "uid"),
          FieldPath.of("metadata", "clusterName"),
          FieldPath.of("metadata", "generation"),
          FieldPath.of("metadata", "managedFields"),
          FieldPath.of("metadata", "resourceVersion"));

  private ObjectFields() {}

  /** What changed from one object to another, as field sets. */
  public record Comparison(FieldSet added, FieldSet removed, FieldSet modified) {
    /** Fields that hold a new value: added or modified. */
    public FieldSet changed() {
      return added.union(modified);
    }

    public boolean isEmpty() {
      return added.isEmpty() && removed.isEmpty() && modified.isEmpty();
    }
  }

  /**
   * Granular lists Kubernetes' Go types serialize even when empty (no omitempty): an update never
   * finds them newly added, so they get no member of their own.
   */
  private static final Set<String> ALWAYS_PRESENT_LISTS = Set.of("containers", "endpoints");

  /** The field set of an object, as an applied configuration's. */
  public static FieldSet of(JsonNode obj, ApplySchema schema) {
    return FieldSet.of(leaves(obj, schema, false).keySet());
  }

  /** Compares two objects (null for none) field by field. */
  public static Comparison compare(JsonNode old, JsonNode next, ApplySchema schema) {
    Map<FieldPath, JsonNode> a = leaves(old, schema, true);
    Map<FieldPath, JsonNode> b = leaves(next, schema, true);
    Set<FieldPath> added = new HashSet<>(b.keySet());
    added.removeAll(a.keySet());
    Set<FieldPath> removed = new HashSet<>(a.keySet());
    removed.removeAll(b.keySet());
    Set<FieldPath> modified = new HashSet<>();
    a.forEach(
        (p, v) -> {
          JsonNode w = b.get(p);
          if (w != null && !Json.same(v, w)) {
            modified.add(p);
          }
        });
    return new Comparison(FieldSet.of(added), FieldSet.of(removed), FieldSet.of(modified));
  }

  /**
   * Leaf and item paths of an object with their values ({@link #ITEM} for items). With {@code
   * containers}, maps and granular lists are members too, as upstream's comparison counts a map or
   * list that appears as added in its own right (the "." of FieldsV1).
   */
  static Map<FieldPath, JsonNode> leaves(JsonNode obj, ApplySchema schema, boolean containers) {
    Map<FieldPath, JsonNode> out = new TreeMap<>();
    if (obj instanceof ObjectNode o) {
      new Walker(containers).walkObject(FieldPath.ROOT, o, schema, out);
    }
    return out;
  }

  /** Walks an object collecting its members. */
  private record Walker(boolean containers) {

    void walkObject(FieldPath at, ObjectNode o, ApplySchema schema, Map<FieldPath, JsonNode> out) {
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        FieldPath p = at.child(e.getKey());
        if (at.size() <= 1 && STRIPPED.contains(p)) {
          continue;
        }
        walkValue(p, e.getValue(), schema, e.getKey(), out);
      }
    }

    void walkValue(
        FieldPath p, JsonNode v, ApplySchema parent, String field, Map<FieldPath, JsonNode> out) {
      if (v instanceof ObjectNode o) {
        if (o.isEmpty() || parent.atomicMap(field)) {
          out.put(p, v);
        } else {
          if (containers && parent.isMap(field)) {
            out.put(p, ITEM);
          }
          walkObject(p, o, parent.field(field), out);
        }
        return;
      }
      if (v instanceof ArrayNode a && !a.isEmpty()) {
        Map<FieldPath, JsonNode> items = items(p, a, parent, field);
        if (items == null) {
          out.put(p, v);
        } else {
          if (containers && !ALWAYS_PRESENT_LISTS.contains(field)) {
            out.put(p, ITEM);
          }
          out.putAll(items);
        }
        return;
      }
      out.put(p, v);
    }

    /**
     * The members of a granular list, or null when it is atomic or its items cannot be told apart.
     */
    Map<FieldPath, JsonNode> items(FieldPath p, ArrayNode a, ApplySchema parent, String field) {
      ApplySchema.ListType type = parent.listType(field);
      if (type == ApplySchema.ListType.ATOMIC) {
        return null;
      }
      Map<FieldPath, JsonNode> out = new LinkedHashMap<>();
      List<String> keys = parent.listKeys(field);
      ApplySchema elem = parent.field(field);
      for (JsonNode item : a) {
        PathElement pe = itemElement(type, keys, item);
        if (pe == null) {
          return null;
        }
        FieldPath ip = p.child(pe);
        if (out.containsKey(ip)) {
          return null;
        }
        out.put(ip, ITEM);
        if (type == ApplySchema.ListType.MAP) {
          Map<FieldPath, JsonNode> sub = new TreeMap<>();
          walkObject(ip, (ObjectNode) item, elem, sub);
          out.putAll(sub);
        }
      }
      return out;
    }
  }

  /** The path element of a list item, or null when the item does not fit the list type. */
  static PathElement itemElement(ApplySchema.ListType type, List<String> keys, JsonNode item) {
    if (type == ApplySchema.ListType.SET) {
      return item.isContainerNode() ? null : new PathElement.Value(item);
    }
    if (!(item instanceof ObjectNode o) || keys.isEmpty()) {
      return null;
    }
    Map<String, JsonNode> k = new TreeMap<>();
    for (String key : keys) {
      JsonNode v = keyValue(o, key);
      if (v == null) {
        return null;
      }
      k.put(key, v);
    }
    return new PathElement.Key(k);
  }

  /**
   * A key field of an item; a missing protocol counts as TCP, its default, so an applied port
   * without one matches the defaulted live port.
   */
  static JsonNode keyValue(ObjectNode item, String key) {
    JsonNode v = item.get(key);
    if ((v == null || v.isNull()) && key.equals("protocol")) {
      return JsonNodeFactory.instance.textNode("TCP");
    }
    return v == null || v.isNull() ? null : v;
  }

  /** JSON value equality where numbers compare by value. */
  static final class Json {
    private Json() {}

    static boolean same(JsonNode a, JsonNode b) {
      if (a == ITEM || b == ITEM) {
        return a == b;
      }
      return Objects.equals(a, b)
          || a.equals(
              (x, y) ->
                  x.isNumber() && y.isNumber()
                      ? x.decimalValue().compareTo(y.decimalValue())
                      : x.equals(y) ? 0 : 1,
              b);
    }
  }
}
