package io.flotilla.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.FieldError;
import io.flotilla.api.KindBehavior;
import io.flotilla.api.TableColumn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the apiserver defaults, validates, prunes and prints the objects of one served version of a
 * CustomResourceDefinition, all driven by that version's structural schema. Built by {@link
 * CrdDefinitions#resourceTypes} from a CRD that passed {@link CrdDefinitions#validate}. Immutable
 * and thread-safe; it keeps its own copy of the schema.
 *
 * <p>The apiserver's order on a write is: prune (reporting unknown fields for fieldValidation
 * Strict or Warn), then {@link #applyDefaults}, then {@link #validate}. On reads from storage it
 * prunes and defaults again, as upstream does, so schema changes apply to stored objects.
 */
public final class CustomResourceBehavior implements KindBehavior {
  private final JsonNode schema;
  private final PrinterColumns printerColumns;
  private final Map<String, Function<JsonNode, String>> selectableFields;
  private final CelValidator rules;
  private final boolean statusSubresource;
  private final Optional<ScaleSubresource> scale;
  private final ObjectNode openApi;

  CustomResourceBehavior(JsonNode version) {
    this(version, null);
  }

  CustomResourceBehavior(JsonNode version, ObjectNode openApi) {
    this.openApi = openApi;
    JsonNode s = version.path("schema").path("openAPIV3Schema");
    this.schema = s.isObject() ? s.deepCopy() : MissingNode.getInstance();
    this.rules = CelValidator.compile(schema);
    this.printerColumns = new PrinterColumns(version.path("additionalPrinterColumns"));
    this.selectableFields = selectable(version.path("selectableFields"));
    JsonNode sub = version.path("subresources");
    this.statusSubresource = sub.has("status");
    JsonNode sc = sub.path("scale");
    this.scale =
        sc.isObject()
            ? Optional.of(
                new ScaleSubresource(
                    sc.path("specReplicasPath").asText(),
                    sc.path("statusReplicasPath").asText(),
                    Optional.ofNullable(sc.path("labelSelectorPath").textValue())))
            : Optional.empty();
  }

  @Override
  public void applyDefaults(ObjectNode object) {
    Defaulter.apply(schema, object);
  }

  @Override
  public List<FieldError> validate(ObjectNode object, ObjectNode old) {
    if (!schema.isObject()) {
      return List.of();
    }
    List<FieldError> errors = new ArrayList<>(SchemaValidator.validateResource(schema, object));
    if (rules.isEmpty()) {
      return List.copyOf(errors);
    }
    // As upstream: rules assume well-typed values, so a type error blocks them all.
    if (errors.stream().anyMatch(e -> e.type().equals("FieldValueTypeInvalid"))) {
      errors.add(
          new FieldError(
              "FieldValueInvalid",
              "",
              "Invalid value: \"null\": some validation rules were not checked because the object"
                  + " was invalid; correct the existing errors to complete validation"));
    } else {
      errors.addAll(rules.validate(schema, object, old));
    }
    return List.copyOf(errors);
  }

  /**
   * Drops the fields the schema does not specify, in place, and returns their paths ("spec.foo",
   * "spec.items[0].bar") for fieldValidation Strict (reject) or Warn (warn).
   */
  public List<String> prune(ObjectNode object) {
    if (!schema.isObject()) {
      return List.of();
    }
    return Pruner.prune(schema, object);
  }

  @Override
  public List<TableColumn> tableColumns() {
    return printerColumns.columns();
  }

  @Override
  public List<Object> tableCells(JsonNode object, Instant now) {
    return printerColumns.cells(object, now);
  }

  @Override
  public Map<String, Function<JsonNode, String>> fieldSelectors() {
    return selectableFields;
  }

  /**
   * Always true for custom resources; which writes bump metadata.generation depends on {@link
   * #hasStatusSubresource()}: with it, only changes outside metadata and status; without it, any
   * change outside metadata.
   */
  @Override
  public boolean tracksGeneration() {
    return true;
  }

  /** Whether /status is served: then the main resource ignores status and /status all but it. */
  public boolean hasStatusSubresource() {
    return statusSubresource;
  }

  /** The scale subresource's paths, when /scale is served. */
  public Optional<ScaleSubresource> scale() {
    return scale;
  }

  /** The version's schema as published for kubectl explain; null when not given. */
  @Override
  public ObjectNode openApiSchema() {
    return openApi == null ? null : openApi.deepCopy();
  }

  /** The version's structural schema; a missing node when it has none. */
  public JsonNode schema() {
    return schema.deepCopy();
  }

  private static Map<String, Function<JsonNode, String>> selectable(JsonNode fields) {
    Map<String, Function<JsonNode, String>> out = new LinkedHashMap<>();
    for (JsonNode f : fields) {
      String path = f.path("jsonPath").asText();
      JsonPath p = JsonPath.parse(path);
      out.put(path.substring(1), obj -> selectorValue(p.first(obj)));
    }
    return Map.copyOf(out);
  }

  private static String selectorValue(JsonNode v) {
    if (v.isMissingNode() || v.isNull() || v.isContainerNode()) {
      return "";
    }
    return v.isNumber() ? JsonValues.number(v) : v.asText();
  }
}
