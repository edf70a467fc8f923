package io.flotilla.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One entry of metadata.managedFields: a manager, the operation that gave it its fields (Apply or
 * Update), the API version and subresource they were written through, when, and the fields.
 *
 * @param time RFC 3339 timestamp, or "" when unknown
 * @param subresource "" for the main resource
 */
public record ManagedFieldsEntry(
    String manager,
    String operation,
    String apiVersion,
    String time,
    FieldSet fields,
    String subresource) {
  public static final String APPLY = "Apply";
  public static final String UPDATE = "Update";

  /** Upstream's order: Apply before Update, then by time, manager, version, subresource. */
  public static final Comparator<ManagedFieldsEntry> ORDER =
      Comparator.comparing(ManagedFieldsEntry::operation)
          .thenComparing(ManagedFieldsEntry::time)
          .thenComparing(ManagedFieldsEntry::manager)
          .thenComparing(ManagedFieldsEntry::apiVersion)
          .thenComparing(ManagedFieldsEntry::subresource);

  public ManagedFieldsEntry {
    time = time == null ? "" : time;
    subresource = subresource == null ? "" : subresource;
  }

  /**
   * Whether two entries are the same manager's: appliers are told apart by name and subresource,
   * updaters also by API version (as upstream builds manager identifiers).
   */
  public boolean sameManager(ManagedFieldsEntry o) {
    return manager.equals(o.manager)
        && operation.equals(o.operation)
        && subresource.equals(o.subresource)
        && (operation.equals(APPLY) || apiVersion.equals(o.apiVersion));
  }

  public ManagedFieldsEntry withFields(FieldSet f) {
    return new ManagedFieldsEntry(manager, operation, apiVersion, time, f, subresource);
  }

  public ManagedFieldsEntry withTime(String t) {
    return new ManagedFieldsEntry(manager, operation, apiVersion, t, fields, subresource);
  }

  /** How conflict messages name the manager: {@code "kubectl" using apps/v1}. */
  public String describe() {
    String s = "\"" + manager + "\"";
    if (!subresource.isEmpty()) {
      s += " with subresource \"" + subresource + "\"";
    }
    return operation.equals(UPDATE) ? s + " using " + apiVersion : s;
  }

  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("manager", manager).put("operation", operation).put("apiVersion", apiVersion);
    if (!time.isEmpty()) {
      o.put("time", time);
    }
    o.put("fieldsType", "FieldsV1");
    o.set("fieldsV1", FieldsV1.encode(fields));
    if (!subresource.isEmpty()) {
      o.put("subresource", subresource);
    }
    return o;
  }

  /**
   * Decodes a managedFields list.
   *
   * @throws IllegalArgumentException naming what is malformed
   */
  public static List<ManagedFieldsEntry> decodeAll(JsonNode list) {
    List<ManagedFieldsEntry> out = new ArrayList<>();
    if (list == null || list.isNull() || list.isMissingNode()) {
      return out;
    }
    if (!list.isArray()) {
      throw new IllegalArgumentException("managedFields must be a list");
    }
    for (JsonNode e : list) {
      String type = e.path("fieldsType").asText("");
      if (!type.equals("FieldsV1")) {
        throw new IllegalArgumentException("unsupported fieldsType \"" + type + "\"");
      }
      String op = e.path("operation").asText("");
      if (!op.equals(APPLY) && !op.equals(UPDATE)) {
        throw new IllegalArgumentException("unsupported operation \"" + op + "\"");
      }
      out.add(
          new ManagedFieldsEntry(
              e.path("manager").asText(""),
              op,
              e.path("apiVersion").asText(""),
              e.path("time").asText(""),
              FieldsV1.decode(e.get("fieldsV1")),
              e.path("subresource").asText("")));
    }
    return out;
  }

  /** Encodes entries in upstream's order, dropping those that own nothing. */
  public static ArrayNode encodeAll(List<ManagedFieldsEntry> entries) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    entries.stream()
        .filter(e -> !e.fields().isEmpty())
        .sorted(ORDER)
        .forEach(e -> a.add(e.toJson()));
    return a;
  }
}
