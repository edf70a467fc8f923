package io.flotilla.api.crd;

import static io.flotilla.api.crd.Schemas.child;
import static io.flotilla.api.crd.Schemas.describe;
import static io.flotilla.api.crd.Schemas.index;
import static io.flotilla.api.crd.Schemas.quote;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Validates a custom resource against the OpenAPI v3 schema of its version, reporting upstream's
 * field paths, cause types and messages (kube-openapi's "spec.replicas in body must be of type
 * integer: \"string\""). Not thread-safe: one instance collects the errors of one validation.
 */
final class SchemaValidator {
  private static final Set<String> RESOURCE_FIELDS = Set.of("apiVersion", "kind", "metadata");

  private final List<FieldError> errors = new ArrayList<>();

  /**
   * Validates a whole object. The root's and embedded resources' metadata is left to the
   * apiserver's ObjectMeta validation, except name and generateName which a schema may restrict.
   */
  static List<FieldError> validateResource(JsonNode schema, JsonNode object) {
    SchemaValidator v = new SchemaValidator();
    v.check(schema, object, "", true);
    return List.copyOf(v.errors);
  }

  /** Validates a value at a path, such as a default at a schema node. */
  static List<FieldError> validateValue(JsonNode schema, JsonNode value, String path) {
    SchemaValidator v = new SchemaValidator();
    v.check(schema, value, path, false);
    return List.copyOf(v.errors);
  }

  private void check(JsonNode s, JsonNode v, String path, boolean resourceRoot) {
    if (!typeMatches(s, v, path)) {
      return;
    }
    if (v.isNull()) {
      return;
    }
    boolean resource = resourceRoot || Schemas.embeddedResource(s);
    if (Schemas.embeddedResource(s) && v.isObject()) {
      for (String f : List.of("apiVersion", "kind")) {
        if (v.path(f).asText("").isEmpty()) {
          errors.add(
              new FieldError(
                  "FieldValueRequired", child(path, f), "Required value: must not be empty"));
        }
      }
    }
    if (v.isObject()) {
      checkObject(s, v, path, resource);
    } else if (v.isArray()) {
      checkArray(s, v, path);
    } else if (v.isTextual()) {
      StringChecks.check(s, v.asText(), path, errors);
    } else if (v.isNumber()) {
      NumberChecks.check(s, v, path, errors);
    }
    checkEnum(s, v, path);
    checkJunctors(s, v, path);
  }

  /** Checks type, nullable and int-or-string; false when the value's type is wrong or null. */
  private boolean typeMatches(JsonNode s, JsonNode v, String path) {
    String type = Schemas.type(s);
    if (v.isNull()) {
      if (Schemas.nullable(s) || type.isEmpty()) {
        return true;
      }
      typeError(path, Schemas.intOrString(s) ? "integer,string" : type, v);
      return false;
    }
    if (Schemas.intOrString(s)) {
      if (v.isTextual() || (v.isNumber() && Schemas.isWhole(v))) {
        return true;
      }
      typeError(path, "integer,string", v);
      return false;
    }
    boolean ok =
        switch (type) {
          case "" -> true;
          case "object" -> v.isObject();
          case "array" -> v.isArray();
          case "string" -> v.isTextual();
          case "boolean" -> v.isBoolean();
          case "integer" -> v.isNumber() && Schemas.isWhole(v);
          case "number" -> v.isNumber();
          default -> true;
        };
    if (!ok) {
      typeError(path, type, v);
    }
    return ok;
  }

  private void typeError(String path, String type, JsonNode v) {
    String actual = Schemas.jsonType(v);
    errors.add(
        new FieldError(
            "FieldValueTypeInvalid",
            path,
            "Invalid value: "
                + quote(actual)
                + ": "
                + path
                + " in body must be of type "
                + type
                + ": "
                + quote(actual)));
  }

  private void checkObject(JsonNode s, JsonNode v, String path, boolean resource) {
    for (JsonNode req : s.path("required")) {
      if (!v.has(req.asText())) {
        errors.add(FieldError.required(child(path, req.asText())));
      }
    }
    if (s.has("maxProperties") && v.size() > s.get("maxProperties").asLong()) {
      errors.add(
          new FieldError(
              "FieldValueTooMany",
              path,
              "Too many: "
                  + v.size()
                  + ": must have at most "
                  + s.get("maxProperties").asLong()
                  + " items"));
    }
    if (s.has("minProperties") && v.size() < s.get("minProperties").asLong()) {
      invalid(path, v, "should have at least " + s.get("minProperties").asLong() + " properties");
    }
    JsonNode additional = s.path("additionalProperties");
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      String name = e.getKey();
      String at = child(path, name);
      JsonNode prop = Schemas.property(s, name);
      if (resource && name.equals("metadata")) {
        checkMetadata(prop, e.getValue(), at);
      } else if (resource && RESOURCE_FIELDS.contains(name) && !prop.isObject()) {
        continue;
      } else if (prop.isObject()) {
        check(prop, e.getValue(), at, false);
      } else if (additional.isObject()) {
        check(additional, e.getValue(), at, false);
      } else if (additional.isBoolean() && !additional.asBoolean()) {
        errors.add(
            new FieldError(
                "FieldValueForbidden",
                at,
                "Forbidden: " + at + " in body is a forbidden property"));
      }
    }
  }

  /** A schema may only restrict metadata.name and metadata.generateName (as strings). */
  private void checkMetadata(JsonNode s, JsonNode metadata, String path) {
    if (!s.isObject() || !metadata.isObject()) {
      return;
    }
    for (String f : List.of("name", "generateName")) {
      JsonNode prop = Schemas.property(s, f);
      if (prop.isObject() && metadata.has(f)) {
        check(prop, metadata.get(f), child(path, f), false);
      }
    }
  }

  private void checkArray(JsonNode s, JsonNode v, String path) {
    if (s.has("maxItems") && v.size() > s.get("maxItems").asLong()) {
      errors.add(
          new FieldError(
              "FieldValueTooMany",
              path,
              "Too many: "
                  + v.size()
                  + ": must have at most "
                  + s.get("maxItems").asLong()
                  + " items"));
    }
    if (s.has("minItems") && v.size() < s.get("minItems").asLong()) {
      invalid(path, v, "should have at least " + s.get("minItems").asLong() + " items");
    }
    if (Schemas.flag(s, "uniqueItems") && ListTypes.hasDuplicates(v)) {
      invalid(path, v, "shouldn't contain duplicates");
    }
    JsonNode items = s.path("items");
    if (items.isObject()) {
      for (int i = 0; i < v.size(); i++) {
        check(items, v.get(i), index(path, i), false);
      }
    }
    ListTypes.check(s, v, path, errors);
  }

  private void checkEnum(JsonNode s, JsonNode v, String path) {
    JsonNode values = s.path("enum");
    if (!values.isArray() || values.isEmpty()) {
      return;
    }
    List<String> allowed = new ArrayList<>();
    for (JsonNode a : values) {
      if (JsonValues.equal(a, v)) {
        return;
      }
      allowed.add(a.isTextual() ? a.asText() : a.toString());
    }
    errors.add(FieldError.notSupported(path, v.isTextual() ? v.asText() : describe(v), allowed));
  }

  private void checkJunctors(JsonNode s, JsonNode v, String path) {
    for (JsonNode sub : s.path("allOf")) {
      check(sub, v, path, false);
    }
    if (s.path("anyOf").isArray() && !s.path("anyOf").isEmpty()) {
      boolean any = false;
      for (JsonNode sub : s.path("anyOf")) {
        any |= validateValue(sub, v, path).isEmpty();
      }
      if (!any) {
        invalidType(path, v, "must validate at least one schema (anyOf)");
      }
    }
    if (s.path("oneOf").isArray() && !s.path("oneOf").isEmpty()) {
      int passed = 0;
      for (JsonNode sub : s.path("oneOf")) {
        passed += validateValue(sub, v, path).isEmpty() ? 1 : 0;
      }
      if (passed != 1) {
        invalidType(path, v, "must validate one and only one schema (oneOf)");
      }
    }
    JsonNode not = s.path("not");
    if (not.isObject() && validateValue(not, v, path).isEmpty()) {
      invalidType(path, v, "must not validate the schema (not)");
    }
  }

  /** Junctor failures carry the value's type, as kube-openapi reports them. */
  private void invalidType(String path, JsonNode v, String detail) {
    errors.add(
        new FieldError(
            "FieldValueInvalid",
            path,
            "Invalid value: " + quote(Schemas.jsonType(v)) + ": " + path + " in body " + detail));
  }

  private void invalid(String path, JsonNode v, String detail) {
    errors.add(invalidError(path, v, detail));
  }

  static FieldError invalidError(String path, JsonNode v, String detail) {
    return new FieldError(
        "FieldValueInvalid",
        path,
        "Invalid value: " + describe(v) + ": " + path + " in body " + detail);
  }

  /**
   * Checks on strings: length in characters, pattern (unanchored, like Go's MatchString), format.
   */
  static final class StringChecks {
    private StringChecks() {}

    static void check(JsonNode s, String value, String path, List<FieldError> errors) {
      JsonNode v = com.fasterxml.jackson.databind.node.TextNode.valueOf(value);
      long length = value.codePointCount(0, value.length());
      if (s.has("maxLength") && length > s.get("maxLength").asLong()) {
        errors.add(
            new FieldError(
                "FieldValueTooLong",
                path,
                "Too long: may not be more than " + s.get("maxLength").asLong() + " bytes"));
      }
      if (s.has("minLength") && length < s.get("minLength").asLong()) {
        errors.add(
            invalidError(
                path, v, "should be at least " + s.get("minLength").asLong() + " chars long"));
      }
      if (s.has("pattern")) {
        String pattern = s.get("pattern").asText();
        if (!matches(pattern, value)) {
          errors.add(invalidError(path, v, "should match '" + pattern + "'"));
        }
      }
      String format = s.path("format").asText("");
      if (!format.isEmpty() && !Formats.valid(format, value)) {
        errors.add(invalidError(path, v, "must be of type " + format + ": " + quote(value)));
      }
    }

    private static boolean matches(String pattern, String value) {
      try {
        return Pattern.compile(pattern).matcher(value).find();
      } catch (PatternSyntaxException e) {
        return false;
      }
    }
  }

  /** Checks on numbers: bounds (inclusive unless exclusive*), multipleOf. */
  static final class NumberChecks {
    private NumberChecks() {}

    static void check(JsonNode s, JsonNode v, String path, List<FieldError> errors) {
      var d = JsonValues.decimal(v);
      if (s.has("maximum")) {
        int c = d.compareTo(JsonValues.decimal(s.get("maximum")));
        boolean exclusive = Schemas.flag(s, "exclusiveMaximum");
        if (exclusive ? c >= 0 : c > 0) {
          String bound = JsonValues.number(s.get("maximum"));
          errors.add(
              invalidError(
                  path,
                  v,
                  exclusive
                      ? "should be less than " + bound
                      : "should be less than or equal to " + bound));
        }
      }
      if (s.has("minimum")) {
        int c = d.compareTo(JsonValues.decimal(s.get("minimum")));
        boolean exclusive = Schemas.flag(s, "exclusiveMinimum");
        if (exclusive ? c <= 0 : c < 0) {
          String bound = JsonValues.number(s.get("minimum"));
          errors.add(
              invalidError(
                  path,
                  v,
                  exclusive
                      ? "should be greater than " + bound
                      : "should be greater than or equal to " + bound));
        }
      }
      if (s.has("multipleOf") && s.get("multipleOf").isNumber()) {
        var m = JsonValues.decimal(s.get("multipleOf"));
        if (m.signum() > 0 && d.remainder(m).signum() != 0) {
          errors.add(
              invalidError(
                  path, v, "should be a multiple of " + JsonValues.number(s.get("multipleOf"))));
        }
      }
    }
  }
}
