package io.flotilla.api.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.Durations;
import io.flotilla.api.TableColumn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reading a JSON object and formatting Table cells the way kube-apiserver's printers do. Absent
 * fields read as "" (strings), 0 (numbers) or false (booleans), matching Go zero values.
 */
final class Cells {
  private Cells() {}

  /** Fills one Table row of an object, one cell per column. */
  @FunctionalInterface
  interface RowFunction {
    List<Object> row(JsonNode object, Instant now);
  }

  static final TableColumn NAME = column("Name", "name", "Name of the object");
  static final TableColumn AGE = column("Age", "When the object was created, as an age");
  static final TableColumn CONTAINERS =
      wide("Containers", "Names of the containers in the pod template");
  static final TableColumn IMAGES = wide("Images", "Images of the containers in the pod template");

  static TableColumn column(String name, String description) {
    return new TableColumn(name, "string", "", description, 0);
  }

  static TableColumn column(String name, String format, String description) {
    return new TableColumn(name, "string", format, description, 0);
  }

  static TableColumn typed(String name, String type, String description) {
    return new TableColumn(name, type, "", description, 0);
  }

  static TableColumn wide(String name, String description) {
    return new TableColumn(name, "string", "", description, 1);
  }

  static JsonNode at(JsonNode node, String dottedPath) {
    JsonNode n = node;
    for (String part : dottedPath.split("\\.")) {
      n = n.path(part);
    }
    return n;
  }

  static String text(JsonNode node, String dottedPath) {
    JsonNode n = at(node, dottedPath);
    return n.isValueNode() ? n.asText() : "";
  }

  static long integer(JsonNode node, String dottedPath) {
    return at(node, dottedPath).asLong(0);
  }

  static boolean bool(JsonNode node, String dottedPath) {
    return at(node, dottedPath).asBoolean(false);
  }

  static boolean present(JsonNode node, String dottedPath) {
    return exists(at(node, dottedPath));
  }

  /** Whether a node is there at all: neither missing nor JSON null. */
  static boolean exists(JsonNode n) {
    return !n.isMissingNode() && !n.isNull();
  }

  static String name(JsonNode object) {
    return text(object, "metadata.name");
  }

  static String age(JsonNode object, Instant now) {
    return since(text(object, "metadata.creationTimestamp"), now);
  }

  /** The time since an RFC 3339 timestamp, "<unknown>" when there is none. */
  static String since(String timestamp, Instant now) {
    return Durations.age(timestamp, now);
  }

  static boolean deleting(JsonNode object) {
    return present(object, "metadata.deletionTimestamp");
  }

  static String orNone(String s) {
    return s.isEmpty() ? "<none>" : s;
  }

  /** A string-to-string map as "k1=v1,k2=v2", sorted by key; "<none>" when empty. */
  static String labels(JsonNode map) {
    TreeMap<String, String> sorted = new TreeMap<>();
    map.properties().forEach(e -> sorted.put(e.getKey(), e.getValue().asText()));
    List<String> parts = new ArrayList<>();
    sorted.forEach((k, v) -> parts.add(k + "=" + v));
    return orNone(String.join(",", parts));
  }

  /** A LabelSelector as a selector string ("app=web,tier in (a,b)"); "" when it selects all. */
  static String selector(JsonNode selector) {
    TreeMap<String, List<String>> byKey = new TreeMap<>();
    selector
        .path("matchLabels")
        .properties()
        .forEach(
            e ->
                byKey
                    .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                    .add(e.getKey() + "=" + e.getValue().asText()));
    for (JsonNode expr : selector.path("matchExpressions")) {
      String key = expr.path("key").asText();
      byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(requirement(key, expr));
    }
    List<String> parts = new ArrayList<>();
    byKey.values().forEach(parts::addAll);
    return String.join(",", parts);
  }

  private static String requirement(String key, JsonNode expr) {
    List<String> values = new ArrayList<>();
    expr.path("values").forEach(v -> values.add(v.asText()));
    values.sort(null);
    String joined = "(" + String.join(",", values) + ")";
    return switch (expr.path("operator").asText()) {
      case "In" -> key + " in " + joined;
      case "NotIn" -> key + " notin " + joined;
      case "Exists" -> key;
      case "DoesNotExist" -> "!" + key;
      default -> key + " " + expr.path("operator").asText() + " " + joined;
    };
  }

  /** A LabelSelector as upstream's FormatLabelSelector prints it: "<none>" when empty. */
  static String formatSelector(JsonNode selector) {
    return orNone(selector(selector));
  }

  /** The comma-joined names of a container list. */
  static String containerNames(JsonNode containers) {
    return joinField(containers, "name");
  }

  /** The comma-joined images of a container list. */
  static String containerImages(JsonNode containers) {
    return joinField(containers, "image");
  }

  static String joinField(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.path(field).asText()));
    return String.join(",", out);
  }

  /** Up to {@code max} items joined by ",", then " + N more..." for the rest. */
  static String firstFew(List<String> items, int total, int max) {
    List<String> shown = items.size() > max ? items.subList(0, max) : items;
    String joined = String.join(",", shown);
    return total > max ? joined + " + " + (total - max) + " more..." : joined;
  }

  /** An ordered map of field selector extractors from dotted paths, each read as text. */
  static Map<String, Function<JsonNode, String>> textSelectors(Collection<String> paths) {
    Map<String, Function<JsonNode, String>> out = new java.util.LinkedHashMap<>();
    for (String p : paths) {
      out.put(p, o -> text(o, p));
    }
    return out;
  }

  /** One row; no cell may be null (a Table cell is always a value). */
  static List<Object> row(Object... cells) {
    return List.of(cells);
  }
}
