package io.flotilla.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.FieldError;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * spec.versions[*].selectableFields (beta in 1.32): at most eight simple paths, each unique and
 * naming a string, integer or boolean field of the version's schema.
 */
final class SelectableFields {
  private SelectableFields() {}

  static void check(JsonNode fields, JsonNode schema, String path, List<FieldError> errors) {
    if (fields.size() > CrdValidation.MAX_SELECTABLE_FIELDS) {
      errors.add(
          new FieldError(
              "FieldValueTooMany",
              path,
              "Too many: "
                  + fields.size()
                  + ": must have at most "
                  + CrdValidation.MAX_SELECTABLE_FIELDS
                  + " items"));
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < fields.size(); i++) {
      String at = path + "[" + i + "].jsonPath";
      String jsonPath = fields.get(i).path("jsonPath").asText("");
      if (jsonPath.isEmpty()) {
        errors.add(FieldError.required(at));
        continue;
      }
      if (!jsonPath.startsWith(".") || jsonPath.contains("[") || jsonPath.equals(".")) {
        errors.add(FieldError.invalid(at, jsonPath, "must be a simple json path starting with ."));
        continue;
      }
      if (!seen.add(jsonPath)) {
        errors.add(FieldError.duplicate(at, jsonPath));
        continue;
      }
      JsonNode node = schema;
      for (String part : jsonPath.substring(1).split("\\.")) {
        node = Schemas.property(node, part);
      }
      String type = Schemas.type(node);
      if (node.isMissingNode()) {
        errors.add(
            FieldError.invalid(
                at, jsonPath, "is an invalid path: must point to a field specified in the schema"));
      } else if (!Set.of("string", "integer", "boolean").contains(type)) {
        errors.add(
            FieldError.invalid(
                at,
                jsonPath,
                "must point to a field of type string, boolean or integer. Enum string fields and"
                    + " strings with formats are allowed."));
      }
    }
  }
}
