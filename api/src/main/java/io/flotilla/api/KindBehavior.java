package io.flotilla.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What is particular to a kind, beyond its names: how the apiserver defaults, validates, prints and
 * field-selects it. Implementations are stateless and thread-safe; they never do I/O.
 */
public interface KindBehavior {

  /** Fills in defaults on a create or update body, in place (before validation). */
  default void applyDefaults(ObjectNode object) {}

  /**
   * Validates an object about to be stored. {@code old} is null on create. Returns the problems
   * found, each naming the field at fault (as "spec.containers[0].image"); empty when valid. Object
   * metadata (name, labels, annotations) is validated by the apiserver for every kind.
   */
  default List<FieldError> validate(ObjectNode object, ObjectNode old) {
    return List.of();
  }

  /** The columns of the server-side Table, upstream's for this kind. */
  default List<TableColumn> tableColumns() {
    return TableColumn.DEFAULT;
  }

  /** The cells of one Table row, one per column, in column order. */
  default List<Object> tableCells(JsonNode object, java.time.Instant now) {
    // Upstream's default table shows the creation timestamp itself in "Created At" (a date).
    return List.of(
        object.path("metadata").path("name").asText(),
        object.path("metadata").path("creationTimestamp").asText(""));
  }

  /**
   * The field selectors this kind supports beyond metadata.name and metadata.namespace, each a
   * function from the object to the field's value as a string ("" when absent).
   */
  default Map<String, Function<JsonNode, String>> fieldSelectors() {
    return Map.of();
  }

  /** Whether spec writes bump metadata.generation (false for kinds without a spec). */
  default boolean tracksGeneration() {
    return true;
  }

  /**
   * The kind's published OpenAPI v3 schema when it has no compiled-in model (custom resources);
   * null for built-ins, whose schemas are generated from their model classes.
   */
  default ObjectNode openApiSchema() {
    return null;
  }
}
