package io.flotilla.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.Durations;
import io.flotilla.api.TableColumn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The server-side Table of one custom resource version: Name, then the version's
 * additionalPrinterColumns, or Age when it declares none (upstream's logical default). Cells are
 * the first value each column's JSONPath selects, converted to the column's type; null when the
 * path selects nothing or a value of another type. Immutable and thread-safe.
 */
final class PrinterColumns {
  static final TableColumn NAME =
      new TableColumn("Name", "string", "name", "Name must be unique within a namespace.", 0);
  private static final JsonNode AGE =
      Schemas.MAPPER
          .createObjectNode()
          .put("name", "Age")
          .put("type", "date")
          .put("jsonPath", ".metadata.creationTimestamp")
          .put(
              "description",
              "CreationTimestamp is a timestamp representing the server time when this object was"
                  + " created.");

  private final List<TableColumn> columns;
  private final List<JsonPath> paths;

  /** Columns from a version's additionalPrinterColumns; each entry must already be valid. */
  PrinterColumns(JsonNode definitions) {
    List<JsonNode> defs = new ArrayList<>();
    definitions.forEach(defs::add);
    if (defs.isEmpty()) {
      defs.add(AGE);
    }
    List<TableColumn> cols = new ArrayList<>(List.of(NAME));
    List<JsonPath> ps = new ArrayList<>();
    for (JsonNode d : defs) {
      cols.add(
          new TableColumn(
              d.path("name").asText(),
              d.path("type").asText(),
              d.path("format").asText(""),
              d.path("description").asText(""),
              d.path("priority").asInt(0)));
      ps.add(JsonPath.parse(d.path("jsonPath").asText()));
    }
    this.columns = List.copyOf(cols);
    this.paths = List.copyOf(ps);
  }

  List<TableColumn> columns() {
    return columns;
  }

  /** One row; may hold nulls (cells with no value), so it is an unmodifiable ArrayList. */
  List<Object> cells(JsonNode object, Instant now) {
    List<Object> cells = new ArrayList<>();
    cells.add(object.path("metadata").path("name").asText());
    for (int i = 0; i < paths.size(); i++) {
      JsonNode v = paths.get(i).first(object);
      cells.add(v.isMissingNode() ? null : cell(columns.get(i + 1).type(), v, now));
    }
    return Collections.unmodifiableList(cells);
  }

  static Object cell(String type, JsonNode v, Instant now) {
    return switch (type) {
      case "string" -> v.isTextual() ? v.asText() : text(v);
      case "integer" -> v.isNumber() ? (Object) v.asLong() : null;
      case "number" ->
          v.isNumber() ? (v.isIntegralNumber() ? (Object) v.asLong() : v.asDouble()) : null;
      case "boolean" -> v.isBoolean() ? v.asBoolean() : null;
      case "date" -> v.isTextual() ? Durations.age(v.asText(), now) : null;
      default -> null;
    };
  }

  private static String text(JsonNode v) {
    if (v.isNull()) {
      return "<nil>";
    }
    return v.isNumber() ? JsonValues.number(v) : v.isValueNode() ? v.asText() : v.toString();
  }
}
