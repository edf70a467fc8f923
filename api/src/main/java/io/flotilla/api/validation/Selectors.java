package io.flotilla.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Validation and matching of metav1.LabelSelector trees (matchLabels, matchExpressions). */
final class Selectors {
  private Selectors() {}

  private static final List<String> OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist");

  /** Checks a LabelSelector's labels and expressions; {@code path} is the selector's path. */
  static void validate(ObjectNode selector, String path, Errors errs) {
    if (selector == null) {
      return;
    }
    MetadataValidation.validateLabels(
        Json.entries(selector, "matchLabels"), path + ".matchLabels", errs);
    List<ObjectNode> exprs = Json.objects(selector, "matchExpressions");
    for (int i = 0; i < exprs.size(); i++) {
      ObjectNode e = exprs.get(i);
      String p = path + ".matchExpressions[" + i + "]";
      String op = Json.textOr(e, "operator");
      int values = e.path("values").size();
      switch (op) {
        case "In", "NotIn" -> {
          if (values == 0) {
            errs.required(p + ".values", "must be specified when `operator` is 'In' or 'NotIn'");
          }
        }
        case "Exists", "DoesNotExist" -> {
          if (values > 0) {
            errs.forbidden(
                p + ".values",
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
          }
        }
        default -> errs.notSupported(p + ".operator", op, OPERATORS);
      }
      String key = Json.textOr(e, "key");
      errs.invalidEach(p + ".key", key, Names.qualifiedName(key));
    }
  }

  /** Whether a selector has neither labels nor expressions (which selects everything). */
  static boolean isEmpty(ObjectNode selector) {
    return selector == null
        || (selector.path("matchLabels").isEmpty() && selector.path("matchExpressions").isEmpty());
  }

  /** Whether a LabelSelector selects a set of labels (an absent selector selects nothing). */
  static boolean matches(ObjectNode selector, JsonNode labels) {
    if (selector == null) {
      return false;
    }
    for (Map.Entry<String, JsonNode> e : Json.entries(selector, "matchLabels")) {
      JsonNode v = labels == null ? null : labels.get(e.getKey());
      if (v == null || !v.asText().equals(e.getValue().asText())) {
        return false;
      }
    }
    for (ObjectNode e : Json.objects(selector, "matchExpressions")) {
      String key = Json.textOr(e, "key");
      JsonNode v = labels == null ? null : labels.get(key);
      Set<String> values = Set.copyOf(Json.strings(e, "values"));
      boolean ok =
          switch (Json.textOr(e, "operator")) {
            case "In" -> v != null && values.contains(v.asText());
            case "NotIn" -> v == null || !values.contains(v.asText());
            case "Exists" -> v != null;
            case "DoesNotExist" -> v == null;
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Whether a plain map selector (Service, ReplicationController) selects a set of labels. */
  static boolean mapMatches(JsonNode selector, JsonNode labels) {
    if (selector == null) {
      return false;
    }
    var it = selector.fields();
    while (it.hasNext()) {
      var e = it.next();
      JsonNode v = labels == null ? null : labels.get(e.getKey());
      if (v == null || !v.asText().equals(e.getValue().asText())) {
        return false;
      }
    }
    return true;
  }
}
