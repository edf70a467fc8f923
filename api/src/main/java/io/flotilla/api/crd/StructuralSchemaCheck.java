package io.flotilla.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that a CRD version's openAPIV3Schema is structural, as apiextensions.k8s.io/v1 requires:
 * every specified node has a type (unless x-kubernetes-int-or-string or
 * x-kubernetes-embedded-resource says what it holds), value validations (allOf, anyOf, oneOf, not)
 * only validate, the root metadata only restricts name and generateName, and the keywords upstream
 * does not support are absent. Defaults must validate against their node. Not thread-safe; one
 * instance per check.
 */
final class StructuralSchemaCheck {
  private enum Level {
    ROOT,
    FIELD,
    ITEM
  }

  private static final Set<String> TYPES =
      Set.of("object", "array", "string", "integer", "number", "boolean");
  private static final List<String> UNSUPPORTED =
      List.of(
          "$ref",
          "definitions",
          "dependencies",
          "additionalItems",
          "patternProperties",
          "id",
          "$schema");
  private static final List<String> JUNCTORS = List.of("allOf", "anyOf", "oneOf");

  private final List<FieldError> errors = new ArrayList<>();

  static List<FieldError> check(JsonNode schema, String path) {
    StructuralSchemaCheck c = new StructuralSchemaCheck();
    c.structural(schema, path, Level.ROOT);
    return c.errors;
  }

  private void structural(JsonNode s, String path, Level level) {
    if (!s.isObject()) {
      errors.add(FieldError.invalid(path, s.toString(), "must be a schema object"));
      return;
    }
    common(s, path);
    String type = Schemas.type(s);
    if (!type.isEmpty() && !TYPES.contains(type)) {
      errors.add(
          FieldError.notSupported(
              at(path, "type"),
              type,
              List.of("array", "boolean", "integer", "number", "object", "string")));
    }
    extensions(s, path, type, level);
    if (s.has("properties") && s.has("additionalProperties")) {
      errors.add(
          FieldError.forbidden(
              at(path, "additionalProperties"),
              "additionalProperties and properties are mutual exclusive"));
    }
    if (level == Level.ROOT) {
      root(s, path, type);
    }
    for (Map.Entry<String, JsonNode> e : Schemas.properties(s)) {
      if (level == Level.ROOT && e.getKey().equals("metadata")) {
        continue;
      }
      structural(e.getValue(), path + ".properties[" + e.getKey() + "]", Level.FIELD);
    }
    JsonNode additional = s.path("additionalProperties");
    if (additional.isObject()) {
      structural(additional, at(path, "additionalProperties"), Level.FIELD);
    }
    JsonNode items = s.path("items");
    if (items.isObject()) {
      structural(items, at(path, "items"), Level.ITEM);
    } else if (type.equals("array") && !Schemas.preservesUnknownFields(s) && !items.isArray()) {
      errors.add(FieldError.required(at(path, "items")));
    }
    junctors(s, path);
    if (s.path("x-kubernetes-validations").isArray()) {
      CelRules.compile(s.get("x-kubernetes-validations"), path, errors);
    }
    if (s.has("default")) {
      checkDefault(s, path);
    }
  }

  /** Keywords checked the same way in the structural part and in value validations. */
  private void common(JsonNode s, String path) {
    for (String keyword : UNSUPPORTED) {
      if (s.has(keyword)) {
        errors.add(FieldError.forbidden(at(path, keyword), keyword + " is not supported"));
      }
    }
    if (Schemas.flag(s, "uniqueItems")) {
      errors.add(
          FieldError.forbidden(
              at(path, "uniqueItems"),
              "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"));
    }
    JsonNode additional = s.path("additionalProperties");
    if (additional.isBoolean() && !additional.asBoolean()) {
      errors.add(
          FieldError.forbidden(
              at(path, "additionalProperties"), "additionalProperties cannot be set to false"));
    }
    if (s.path("items").isArray()) {
      errors.add(
          FieldError.forbidden(
              at(path, "items"), "items must be a schema object and not an array"));
    }
  }

  private void extensions(JsonNode s, String path, String type, Level level) {
    JsonNode preserve = s.path("x-kubernetes-preserve-unknown-fields");
    if (preserve.isBoolean() && !preserve.asBoolean()) {
      errors.add(
          FieldError.invalid(
              at(path, "x-kubernetes-preserve-unknown-fields"),
              false,
              "must be true or undefined"));
    }
    boolean embedded = Schemas.embeddedResource(s);
    boolean intOrString = Schemas.intOrString(s);
    if (embedded && !type.equals("object")) {
      errors.add(
          type.isEmpty()
              ? new FieldError(
                  "FieldValueRequired",
                  at(path, "type"),
                  "Required value: must be object if x-kubernetes-embedded-resource is true")
              : FieldError.invalid(
                  at(path, "type"),
                  type,
                  "must be object if x-kubernetes-embedded-resource is true"));
    } else if (intOrString && !type.isEmpty()) {
      errors.add(
          FieldError.invalid(
              at(path, "type"), type, "must be empty if x-kubernetes-int-or-string is true"));
    } else if (type.isEmpty() && !embedded && !intOrString) {
      String detail =
          switch (level) {
            case ROOT -> "must not be empty at the root";
            case ITEM -> "must not be empty for specified array items";
            case FIELD -> "must not be empty for specified object fields";
          };
      errors.add(
          new FieldError("FieldValueRequired", at(path, "type"), "Required value: " + detail));
    }
    if (embedded && s.has("additionalProperties")) {
      errors.add(
          FieldError.forbidden(
              at(path, "additionalProperties"),
              "must not be used if x-kubernetes-embedded-resource is set"));
    }
    listType(s, path, type);
    String mapType = s.path("x-kubernetes-map-type").asText("");
    if (!mapType.isEmpty() && !mapType.equals("granular") && !mapType.equals("atomic")) {
      errors.add(
          FieldError.notSupported(
              at(path, "x-kubernetes-map-type"), mapType, List.of("granular", "atomic")));
    }
  }

  private void listType(JsonNode s, String path, String type) {
    String listType = s.path("x-kubernetes-list-type").asText("");
    JsonNode keys = s.path("x-kubernetes-list-map-keys");
    if (!listType.equals("map") && s.has("x-kubernetes-list-map-keys")) {
      errors.add(
          FieldError.forbidden(
              at(path, "x-kubernetes-list-map-keys"),
              "must not be set if x-kubernetes-list-type is not map"));
    }
    if (listType.isEmpty()) {
      return;
    }
    if (!List.of("atomic", "set", "map").contains(listType)) {
      errors.add(
          FieldError.notSupported(
              at(path, "x-kubernetes-list-type"), listType, List.of("atomic", "set", "map")));
      return;
    }
    if (!type.equals("array")) {
      errors.add(
          FieldError.invalid(
              at(path, "type"), type, "must be array if x-kubernetes-list-type is specified"));
      return;
    }
    JsonNode items = s.path("items");
    String itemType = Schemas.type(items);
    if (listType.equals("set")
        && itemType.equals("object")
        && !items.path("x-kubernetes-map-type").asText().equals("atomic")) {
      errors.add(
          FieldError.invalid(
              at(path, "items.x-kubernetes-map-type"),
              items.path("x-kubernetes-map-type").asText(""),
              "must be atomic as item of a list with x-kubernetes-list-type=set"));
    }
    if (listType.equals("map")) {
      if (!keys.isArray() || keys.isEmpty()) {
        errors.add(
            new FieldError(
                "FieldValueRequired",
                at(path, "x-kubernetes-list-map-keys"),
                "Required value: must not be empty if x-kubernetes-list-type is map"));
      } else if (!itemType.equals("object")) {
        errors.add(
            FieldError.invalid(
                at(path, "items.type"),
                itemType,
                "must be object if parent array's x-kubernetes-list-type is map"));
      } else {
        for (JsonNode k : keys) {
          String keyType = Schemas.type(Schemas.property(items, k.asText()));
          if (!Set.of("string", "integer", "number", "boolean").contains(keyType)
              && !Schemas.intOrString(Schemas.property(items, k.asText()))) {
            errors.add(
                FieldError.invalid(
                    at(path, "x-kubernetes-list-map-keys"),
                    k.asText(),
                    "entries must all be names of item properties of scalar type"));
          }
        }
      }
    }
  }

  /** The root: type object, and metadata restricting name and generateName only. */
  private void root(JsonNode s, String path, String type) {
    if (!type.isEmpty() && !type.equals("object")) {
      errors.add(FieldError.invalid(at(path, "type"), type, "must be object at the root"));
    }
    for (String f :
        List.of("nullable", "x-kubernetes-int-or-string", "x-kubernetes-embedded-resource")) {
      if (Schemas.flag(s, f)) {
        errors.add(FieldError.invalid(at(path, f), true, "must be false at the root"));
      }
    }
    JsonNode metadata = Schemas.property(s, "metadata");
    if (!metadata.isObject()) {
      return;
    }
    String mpath = path + ".properties[metadata]";
    if (!Schemas.type(metadata).equals("object")) {
      errors.add(FieldError.invalid(at(mpath, "type"), Schemas.type(metadata), "must be object"));
    }
    for (Map.Entry<String, JsonNode> e : metadata.properties()) {
      if (!Set.of("type", "properties", "description").contains(e.getKey())) {
        errors.add(
            FieldError.forbidden(
                at(mpath, e.getKey()),
                "must not be specified for metadata, only name and generateName may be restricted"));
      }
    }
    for (Map.Entry<String, JsonNode> e : Schemas.properties(metadata)) {
      String p = mpath + ".properties[" + e.getKey() + "]";
      if (!e.getKey().equals("name") && !e.getKey().equals("generateName")) {
        errors.add(
            FieldError.forbidden(
                p,
                "must not specify anything other than name and generateName, but metadata is implicitly specified"));
      } else {
        structural(e.getValue(), p, Level.FIELD);
        if (!Schemas.type(e.getValue()).equals("string")) {
          errors.add(
              FieldError.invalid(at(p, "type"), Schemas.type(e.getValue()), "must be string"));
        }
      }
    }
  }

  private void junctors(JsonNode s, String path) {
    for (String j : JUNCTORS) {
      JsonNode list = s.path(j);
      for (int i = 0; i < list.size(); i++) {
        valueValidation(list.get(i), at(path, j) + "[" + i + "]");
      }
    }
    if (s.path("not").isObject()) {
      valueValidation(s.get("not"), at(path, "not"));
    }
  }

  /** Inside allOf/anyOf/oneOf/not only validations may appear, never structure. */
  private void valueValidation(JsonNode s, String path) {
    if (!s.isObject()) {
      return;
    }
    common(s, path);
    for (String k : List.of("type", "description", "title")) {
      if (s.has(k)) {
        errors.add(FieldError.forbidden(at(path, k), "must be empty to be structural"));
      }
    }
    if (s.has("default")) {
      errors.add(FieldError.forbidden(at(path, "default"), "must be undefined to be structural"));
    }
    for (String k :
        List.of(
            "nullable",
            "x-kubernetes-preserve-unknown-fields",
            "x-kubernetes-embedded-resource",
            "x-kubernetes-int-or-string")) {
      if (Schemas.flag(s, k)) {
        errors.add(FieldError.forbidden(at(path, k), "must be false to be structural"));
      }
    }
    for (Map.Entry<String, JsonNode> e : Schemas.properties(s)) {
      valueValidation(e.getValue(), path + ".properties[" + e.getKey() + "]");
    }
    if (s.path("items").isObject()) {
      valueValidation(s.get("items"), at(path, "items"));
    }
    if (s.path("additionalProperties").isObject()) {
      valueValidation(s.get("additionalProperties"), at(path, "additionalProperties"));
    }
    junctors(s, path);
  }

  /** A default must validate against its own node and survive pruning unchanged. */
  private void checkDefault(JsonNode s, String path) {
    JsonNode value = s.get("default");
    String at = at(path, "default");
    errors.addAll(SchemaValidator.validateValue(s, value, at));
    for (String unknown : Pruner.pruneValue(s, value.deepCopy())) {
      errors.add(
          FieldError.invalid(
              at,
              value.toString(),
              "must not have unknown fields, but " + unknown + " is unknown"));
    }
  }

  private static String at(String path, String child) {
    return path + "." + child;
  }
}
