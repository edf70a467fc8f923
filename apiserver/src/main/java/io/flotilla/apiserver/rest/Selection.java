package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.ResourceType;
import io.flotilla.api.selector.FieldSelector;
import io.flotilla.api.selector.LabelSelector;
import io.flotilla.api.selector.SelectorException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/** The label and field selectors of a list, watch or deletecollection, as one predicate. */
public record Selection(LabelSelector labels, FieldSelector fields, ResourceType type)
    implements Predicate<JsonNode> {

  public static Selection of(ApiRequest req) {
    ResourceType type = req.type();
    try {
      LabelSelector labels = LabelSelector.parse(req.param("labelSelector"));
      FieldSelector fields = FieldSelector.parse(req.param("fieldSelector"));
      Set<String> supported = new HashSet<>(type.behavior().fieldSelectors().keySet());
      supported.add("metadata.name");
      supported.add("metadata.namespace");
      fields.checkFields(supported);
      return new Selection(labels, fields, type);
    } catch (SelectorException e) {
      throw StatusException.badRequest(e.getMessage());
    }
  }

  public boolean isEverything() {
    return labels.isEverything() && fields.isEverything();
  }

  @Override
  public boolean test(JsonNode obj) {
    if (!labels.isEverything()) {
      Map<String, String> l = new HashMap<>();
      obj.path("metadata")
          .path("labels")
          .properties()
          .forEach(e -> l.put(e.getKey(), e.getValue().asText()));
      if (!labels.matches(l)) {
        return false;
      }
    }
    if (fields.isEverything()) {
      return true;
    }
    Map<String, Function<JsonNode, String>> extra = type.behavior().fieldSelectors();
    return fields.matches(
        f ->
            switch (f) {
              case "metadata.name" -> obj.path("metadata").path("name").asText("");
              case "metadata.namespace" -> obj.path("metadata").path("namespace").asText("");
              default -> extra.get(f).apply(obj);
            });
  }
}
