package io.flotilla.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What upstream checks on a CustomResourceDefinition create or update (apiextensions.k8s.io/v1), on
 * a CRD that {@link CrdDefinitions#applyDefaults} has defaulted. Not thread-safe; one instance per
 * check.
 */
final class CrdValidation {
  static final List<String> SCOPES = List.of("Cluster", "Namespaced");
  static final List<String> COLUMN_TYPES =
      List.of("integer", "number", "string", "boolean", "date");
  static final List<String> COLUMN_FORMATS =
      List.of("int32", "int64", "float", "double", "byte", "date", "date-time", "password");
  static final int MAX_SELECTABLE_FIELDS = 8;

  private final List<FieldError> errors = new ArrayList<>();

  static List<FieldError> check(JsonNode crd) {
    CrdValidation v = new CrdValidation();
    v.all(crd);
    return List.copyOf(v.errors);
  }

  private void all(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    String group = spec.path("group").asText("");
    String plural = spec.path("names").path("plural").asText("");
    String name = crd.path("metadata").path("name").asText("");
    if (!name.equals(plural + "." + group)) {
      errors.add(
          FieldError.invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
    }
    group(group);
    names(spec.path("names"));
    String scope = spec.path("scope").asText("");
    if (scope.isEmpty()) {
      errors.add(FieldError.required("spec.scope"));
    } else if (!SCOPES.contains(scope)) {
      errors.add(FieldError.notSupported("spec.scope", scope, SCOPES));
    }
    versions(spec.path("versions"));
    conversion(spec.path("conversion"));
    if (spec.path("preserveUnknownFields").asBoolean(false)) {
      errors.add(
          FieldError.invalid(
              "spec.preserveUnknownFields",
              true,
              "cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead"));
    }
    storedVersions(crd.path("status").path("storedVersions"), spec.path("versions"));
  }

  private void group(String group) {
    if (group.isEmpty()) {
      errors.add(FieldError.required("spec.group"));
      return;
    }
    for (String problem : DnsNames.subdomain(group)) {
      errors.add(FieldError.invalid("spec.group", group, problem));
    }
    if (group.split("\\.").length < 2) {
      errors.add(
          FieldError.invalid("spec.group", group, "should be a domain with at least one dot"));
    }
  }

  private void names(JsonNode names) {
    String kind = names.path("kind").asText("");
    String listKind = names.path("listKind").asText("");
    label("spec.names.plural", names.path("plural").asText(""), true);
    label("spec.names.singular", names.path("singular").asText(""), false);
    label("spec.names.kind", kind, true);
    label("spec.names.listKind", listKind, true);
    if (!kind.isEmpty() && kind.equals(listKind)) {
      errors.add(
          FieldError.invalid(
              "spec.names.listKind", listKind, "kind and listKind may not be the same"));
    }
    JsonNode shortNames = names.path("shortNames");
    for (int i = 0; i < shortNames.size(); i++) {
      label("spec.names.shortNames[" + i + "]", shortNames.get(i).asText(), true);
    }
    JsonNode categories = names.path("categories");
    for (int i = 0; i < categories.size(); i++) {
      label("spec.names.categories[" + i + "]", categories.get(i).asText(), true);
    }
  }

  /** Kinds may be CamelCase: upstream checks their lower-cased form; plurals must be lower case. */
  private void label(String path, String value, boolean required) {
    if (value.isEmpty()) {
      if (required) {
        errors.add(FieldError.required(path));
      }
      return;
    }
    String checked =
        path.endsWith("kind") || path.endsWith("Kind")
            ? value.toLowerCase(java.util.Locale.ROOT)
            : value;
    for (String problem : DnsNames.label1035(checked)) {
      errors.add(FieldError.invalid(path, value, problem));
    }
  }

  private void versions(JsonNode versions) {
    if (!versions.isArray() || versions.isEmpty()) {
      errors.add(FieldError.invalid("spec.versions", "[]", "must have at least one version"));
      return;
    }
    Set<String> seen = new HashSet<>();
    List<String> names = new ArrayList<>();
    int storage = 0;
    boolean unique = true;
    for (int i = 0; i < versions.size(); i++) {
      JsonNode v = versions.get(i);
      String path = "spec.versions[" + i + "]";
      String name = v.path("name").asText("");
      names.add(Schemas.quote(name));
      unique &= seen.add(name);
      storage += v.path("storage").asBoolean(false) ? 1 : 0;
      if (name.isEmpty()) {
        errors.add(FieldError.required(path + ".name"));
      } else {
        DnsNames.label1035(name)
            .forEach(p -> errors.add(FieldError.invalid(path + ".name", name, p)));
      }
      version(v, path);
    }
    String list = "[" + String.join(",", names) + "]";
    if (!unique) {
      errors.add(
          new FieldError(
              "FieldValueInvalid",
              "spec.versions",
              "Invalid value: " + list + ": must contain unique version names"));
    }
    if (storage != 1) {
      errors.add(
          new FieldError(
              "FieldValueInvalid",
              "spec.versions",
              "Invalid value: "
                  + list
                  + ": must have exactly one version marked as storage version"));
    }
  }

  private void version(JsonNode v, String path) {
    JsonNode schema = v.path("schema").path("openAPIV3Schema");
    if (!schema.isObject()) {
      errors.add(
          new FieldError(
              "FieldValueRequired",
              path + ".schema.openAPIV3Schema",
              "Required value: schemas are required"));
    } else {
      errors.addAll(StructuralSchemaCheck.check(schema, path + ".schema.openAPIV3Schema"));
    }
    subresources(v.path("subresources"), path + ".subresources");
    JsonNode columns = v.path("additionalPrinterColumns");
    for (int i = 0; i < columns.size(); i++) {
      column(columns.get(i), path + ".additionalPrinterColumns[" + i + "]");
    }
    SelectableFields.check(v.path("selectableFields"), schema, path + ".selectableFields", errors);
  }

  private void subresources(JsonNode sub, String path) {
    JsonNode scale = sub.path("scale");
    if (!scale.isObject()) {
      return;
    }
    scalePath(scale, "specReplicasPath", path + ".scale", true, ".spec.");
    scalePath(scale, "statusReplicasPath", path + ".scale", true, ".status.");
    scalePath(scale, "labelSelectorPath", path + ".scale", false, null);
  }

  private void scalePath(
      JsonNode scale, String field, String path, boolean required, String under) {
    String at = path + "." + field;
    String value = scale.path(field).asText("");
    if (value.isEmpty()) {
      if (required) {
        errors.add(FieldError.required(at));
      }
      return;
    }
    if (!simplePath(at, value)) {
      return;
    }
    if (under != null && !value.startsWith(under)) {
      errors.add(
          FieldError.invalid(
              at, value, "should be a json path under " + under.substring(0, under.length() - 1)));
    } else if (under == null && !value.startsWith(".spec.") && !value.startsWith(".status.")) {
      errors.add(
          FieldError.invalid(at, value, "should be a json path under either .spec or .status"));
    }
  }

  /** Upstream's simple JSON path: starts with "." and names fields only. */
  boolean simplePath(String at, String value) {
    if (!value.startsWith(".")) {
      errors.add(FieldError.invalid(at, value, "must be a simple json path starting with ."));
      return false;
    }
    if (value.contains("[") || value.contains("..") || value.endsWith(".") && value.length() > 1) {
      errors.add(FieldError.invalid(at, value, "must be a json path in the dot notation"));
      return false;
    }
    return true;
  }

  private void column(JsonNode c, String path) {
    if (c.path("name").asText("").isEmpty()) {
      errors.add(FieldError.required(path + ".name"));
    }
    String type = c.path("type").asText("");
    if (type.isEmpty()) {
      errors.add(FieldError.required(path + ".type"));
    } else if (!COLUMN_TYPES.contains(type)) {
      errors.add(FieldError.notSupported(path + ".type", type, COLUMN_TYPES));
    }
    String format = c.path("format").asText("");
    if (!format.isEmpty() && !COLUMN_FORMATS.contains(format)) {
      errors.add(FieldError.notSupported(path + ".format", format, COLUMN_FORMATS));
    }
    if (c.path("priority").asInt(0) < 0) {
      errors.add(
          FieldError.invalid(
              path + ".priority",
              c.path("priority").asInt(),
              "must be greater than or equal to 0"));
    }
    String jsonPath = c.path("jsonPath").asText("");
    if (jsonPath.isEmpty()) {
      errors.add(FieldError.required(path + ".jsonPath"));
    } else if (!jsonPath.startsWith(".")) {
      errors.add(
          FieldError.invalid(
              path + ".jsonPath", jsonPath, "must be a simple json path starting with ."));
    } else {
      try {
        JsonPath.parse(jsonPath);
      } catch (IllegalArgumentException e) {
        errors.add(FieldError.invalid(path + ".jsonPath", jsonPath, e.getMessage()));
      }
    }
  }

  private void conversion(JsonNode conversion) {
    String strategy = conversion.path("strategy").asText("None");
    if (strategy.equals("None")) {
      if (conversion.has("webhook")) {
        errors.add(
            FieldError.forbidden(
                "spec.conversion.webhook",
                "should not be set when strategy is not set to Webhook"));
      }
      return;
    }
    // Flotilla does not call conversion webhooks (yet), so only None is supported.
    errors.add(FieldError.notSupported("spec.conversion.strategy", strategy, List.of("None")));
  }

  private void storedVersions(JsonNode stored, JsonNode versions) {
    Set<String> names = new HashSet<>();
    versions.forEach(v -> names.add(v.path("name").asText()));
    for (int i = 0; i < stored.size(); i++) {
      if (!names.contains(stored.get(i).asText())) {
        errors.add(
            FieldError.invalid(
                "status.storedVersions[" + i + "]",
                stored.get(i).asText(),
                "must appear in spec.versions"));
      }
    }
  }
}
