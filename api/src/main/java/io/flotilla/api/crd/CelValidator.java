package io.flotilla.api.crd;

import static io.flotilla.api.crd.Schemas.child;
import static io.flotilla.api.crd.Schemas.index;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.FieldError;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a version's x-kubernetes-validations rules over an object, walking schema and value
 * together. On updates the old value is correlated as upstream does: through object properties, map
 * values and x-kubernetes-list-type=map items with the same keys; items of other lists have no old
 * value, so transition rules below them are not evaluated. Immutable and thread-safe.
 */
final class CelValidator {
  private final Map<JsonNode, List<CelRules.Rule>> rules;

  private CelValidator(Map<JsonNode, List<CelRules.Rule>> rules) {
    this.rules = rules;
  }

  /** Compiles every rule of a schema; rules that do not compile are skipped (see the CRD check). */
  static CelValidator compile(JsonNode schema) {
    Map<JsonNode, List<CelRules.Rule>> rules = new IdentityHashMap<>();
    collect(schema, rules);
    return new CelValidator(rules);
  }

  boolean isEmpty() {
    return rules.isEmpty();
  }

  private static void collect(JsonNode s, Map<JsonNode, List<CelRules.Rule>> rules) {
    if (!s.isObject()) {
      return;
    }
    JsonNode declared = s.path("x-kubernetes-validations");
    if (declared.isArray() && !declared.isEmpty()) {
      rules.put(s, CelRules.compile(declared, "", new ArrayList<>()));
    }
    Schemas.properties(s).forEach(e -> collect(e.getValue(), rules));
    collect(s.path("additionalProperties"), rules);
    collect(s.path("items"), rules);
  }

  List<FieldError> validate(JsonNode schema, JsonNode object, JsonNode old) {
    List<FieldError> errors = new ArrayList<>();
    walk(schema, object, old, "", errors);
    return errors;
  }

  private void walk(JsonNode s, JsonNode v, JsonNode old, String path, List<FieldError> errors) {
    if (!s.isObject() || v == null || v.isNull() || v.isMissingNode()) {
      return;
    }
    JsonNode oldValue = old == null || old.isNull() || old.isMissingNode() ? null : old;
    for (CelRules.Rule r : rules.getOrDefault(s, List.of())) {
      FieldError e = CelRules.evaluate(r, s, v, oldValue, path);
      if (e != null) {
        errors.add(e);
      }
    }
    if (v.isObject()) {
      JsonNode additional = Schemas.additionalSchema(s);
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        JsonNode prop = Schemas.property(s, e.getKey());
        JsonNode childOld = oldValue == null ? null : oldValue.get(e.getKey());
        walk(
            prop.isObject() ? prop : additional,
            e.getValue(),
            childOld,
            child(path, e.getKey()),
            errors);
      }
    } else if (v.isArray()) {
      JsonNode items = s.path("items");
      boolean map = s.path("x-kubernetes-list-type").asText("").equals("map");
      for (int i = 0; i < v.size(); i++) {
        JsonNode childOld = map && oldValue != null ? sameKeys(s, v.get(i), oldValue) : null;
        walk(items, v.get(i), childOld, index(path, i), errors);
      }
    }
  }

  private static JsonNode sameKeys(JsonNode s, JsonNode item, JsonNode oldList) {
    for (JsonNode candidate : oldList) {
      boolean same = true;
      for (JsonNode k : s.path("x-kubernetes-list-map-keys")) {
        JsonNode a = item.path(k.asText());
        JsonNode b = candidate.path(k.asText());
        same &=
            a.isMissingNode() == b.isMissingNode() && (a.isMissingNode() || JsonValues.equal(a, b));
      }
      if (same) {
        return candidate;
      }
    }
    return null;
  }
}
