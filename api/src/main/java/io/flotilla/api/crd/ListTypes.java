package io.flotilla.api.crd;

import static io.flotilla.api.crd.Schemas.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * x-kubernetes-list-type semantics on values: a "set" holds no duplicate items and a "map" no two
 * items with the same x-kubernetes-list-map-keys. Each later duplicate is a FieldValueDuplicate at
 * its index, as upstream reports it.
 */
final class ListTypes {
  private ListTypes() {}

  static void check(JsonNode s, JsonNode list, String path, List<FieldError> errors) {
    switch (s.path("x-kubernetes-list-type").asText("")) {
      case "set" -> checkSet(list, path, errors);
      case "map" -> checkMap(s.path("x-kubernetes-list-map-keys"), list, path, errors);
      default -> {}
    }
  }

  static boolean hasDuplicates(JsonNode list) {
    for (int i = 0; i < list.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (JsonValues.equal(list.get(i), list.get(j))) {
          return true;
        }
      }
    }
    return false;
  }

  private static void checkSet(JsonNode list, String path, List<FieldError> errors) {
    List<JsonNode> seen = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      if (seen.stream().anyMatch(x -> JsonValues.equal(x, item))) {
        errors.add(duplicate(index(path, i), item));
      } else {
        seen.add(item);
      }
    }
  }

  private static void checkMap(JsonNode keys, JsonNode list, String path, List<FieldError> errors) {
    List<JsonNode> seen = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      if (!item.isObject()) {
        continue;
      }
      ObjectNode key = JsonNodeFactory.instance.objectNode();
      for (JsonNode k : keys) {
        JsonNode value = item.get(k.asText());
        if (value != null) {
          key.set(k.asText(), value);
        }
      }
      if (seen.stream().anyMatch(x -> JsonValues.equal(x, key))) {
        errors.add(duplicate(index(path, i), key));
      } else {
        seen.add(key);
      }
    }
  }

  private static FieldError duplicate(String path, JsonNode value) {
    return new FieldError(
        "FieldValueDuplicate", path, "Duplicate value: " + Schemas.describe(value));
  }
}
