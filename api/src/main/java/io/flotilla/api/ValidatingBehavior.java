package io.flotilla.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.validation.Defaults;
import io.flotilla.api.validation.Validation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A built-in kind's behavior with upstream's defaulting and validation in front of it: defaults
 * from {@link Defaults}, kind rules from {@link Validation}, then whatever the kind's own behavior
 * adds. Printing and field selectors are the kind's own.
 */
record ValidatingBehavior(GroupVersionKind gvk, KindBehavior kind) implements KindBehavior {

  @Override
  public void applyDefaults(ObjectNode object) {
    Defaults.apply(gvk, object);
    kind.applyDefaults(object);
  }

  @Override
  public List<FieldError> validate(ObjectNode object, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(Validation.validate(gvk, object, old));
    errors.addAll(kind.validate(object, old));
    return errors;
  }

  @Override
  public List<TableColumn> tableColumns() {
    return kind.tableColumns();
  }

  @Override
  public List<Object> tableCells(JsonNode object, Instant now) {
    return kind.tableCells(object, now);
  }

  @Override
  public Map<String, Function<JsonNode, String>> fieldSelectors() {
    return kind.fieldSelectors();
  }

  @Override
  public boolean tracksGeneration() {
    return kind.tracksGeneration();
  }
}
