package io.flotilla.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.FieldError;
import io.flotilla.api.ResourceType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * From a CustomResourceDefinition (apiextensions.k8s.io/v1, as JSON) to what the apiserver serves:
 * defaulting and validation of the CRD itself, one {@link ResourceType} per served version, and the
 * OpenAPI v3 schema of a version for kubectl explain. Stateless and thread-safe.
 *
 * <p>The apiserver's order on a CRD write: {@link #applyDefaults}, {@link #validate} (and {@link
 * #validateUpdate} on updates), store, then (un)register {@link #resourceTypes} in the
 * KindRegistry.
 */
public final class CrdDefinitions {
  private CrdDefinitions() {}

  /** Every verb served for custom resources, in upstream discovery's (alphabetical) order. */
  public static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /**
   * Fills in upstream's v1 defaults, in place: names.singular (the lower-cased kind),
   * names.listKind (kind + "List") and conversion.strategy (None).
   */
  public static void applyDefaults(ObjectNode crd) {
    JsonNode specNode = crd.path("spec");
    if (!(specNode instanceof ObjectNode spec)) {
      return;
    }
    if (spec.path("names") instanceof ObjectNode names && names.hasNonNull("kind")) {
      String kind = names.get("kind").asText();
      if (names.path("singular").asText("").isEmpty()) {
        names.put("singular", kind.toLowerCase(Locale.ROOT));
      }
      if (names.path("listKind").asText("").isEmpty()) {
        names.put("listKind", kind + "List");
      }
    }
    ObjectNode conversion =
        spec.path("conversion") instanceof ObjectNode c ? c : spec.putObject("conversion");
    if (conversion.path("strategy").asText("").isEmpty()) {
      conversion.put("strategy", "None");
    }
  }

  /** The problems upstream finds in a (defaulted) CRD on create; empty when it is valid. */
  public static List<FieldError> validate(ObjectNode crd) {
    return CrdValidation.check(crd);
  }

  /**
   * The problems upstream finds on an update: those of {@link #validate} plus the immutable fields.
   * Versions listed in status.storedVersions must stay in spec.versions.
   */
  public static List<FieldError> validateUpdate(ObjectNode crd, ObjectNode old) {
    List<FieldError> errors = new ArrayList<>(CrdValidation.check(crd));
    for (String field : List.of("group", "scope")) {
      String now = crd.path("spec").path(field).asText("");
      String before = old.path("spec").path(field).asText("");
      if (!now.equals(before)) {
        errors.add(FieldError.invalid("spec." + field, now, "field is immutable"));
      }
    }
    List<String> versions = new ArrayList<>();
    crd.path("spec").path("versions").forEach(v -> versions.add(v.path("name").asText()));
    JsonNode stored = old.path("status").path("storedVersions");
    for (JsonNode s : stored) {
      if (!versions.contains(s.asText())) {
        errors.add(
            FieldError.invalid(
                "spec.versions",
                s.asText(),
                "must include all stored versions (status.storedVersions) " + stored));
      }
    }
    return List.copyOf(errors);
  }

  /**
   * One resource type per served version, in spec order, sharing the storage resource
   * "group/plural". The CRD must be valid.
   */
  public static List<ResourceType> resourceTypes(ObjectNode crd) {
    JsonNode spec = crd.path("spec");
    JsonNode names = spec.path("names");
    String group = spec.path("group").asText();
    String plural = names.path("plural").asText();
    String kind = names.path("kind").asText();
    String singular = names.path("singular").asText("");
    if (singular.isEmpty()) {
      singular = kind.toLowerCase(Locale.ROOT);
    }
    List<ResourceType> types = new ArrayList<>();
    for (JsonNode v : spec.path("versions")) {
      if (!v.path("served").asBoolean(false)) {
        continue;
      }
      Set<String> subresources = new LinkedHashSet<>();
      if (v.path("subresources").has("status")) {
        subresources.add("status");
      }
      if (v.path("subresources").has("scale")) {
        subresources.add("scale");
      }
      types.add(
          new ResourceType(
              group,
              v.path("name").asText(),
              kind,
              plural,
              singular,
              spec.path("scope").asText().equals("Namespaced"),
              strings(names.path("shortNames")),
              strings(names.path("categories")),
              VERBS,
              subresources,
              group + "/" + plural,
              new CustomResourceBehavior(
                  v, OpenApiSchemas.forVersion(group, v.path("name").asText(), kind, v))));
    }
    return List.copyOf(types);
  }

  /** The storage version's name: the one version marked storage. */
  public static Optional<String> storageVersion(JsonNode crd) {
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (v.path("storage").asBoolean(false)) {
        return Optional.of(v.path("name").asText());
      }
    }
    return Optional.empty();
  }

  /**
   * The OpenAPI v3 schema of one version, as kube-apiserver publishes it: the version's schema with
   * apiVersion, kind and metadata described and x-kubernetes-group-version-kind set.
   *
   * @throws IllegalArgumentException when the CRD has no such version
   */
  public static ObjectNode openApiSchema(ObjectNode crd, String version) {
    JsonNode spec = crd.path("spec");
    JsonNode v = null;
    for (JsonNode candidate : spec.path("versions")) {
      if (candidate.path("name").asText().equals(version)) {
        v = candidate;
      }
    }
    if (v == null) {
      throw new IllegalArgumentException(
          "CustomResourceDefinition "
              + crd.path("metadata").path("name").asText()
              + " has no version "
              + version);
    }
    return OpenApiSchemas.forVersion(
        spec.path("group").asText(), version, spec.path("names").path("kind").asText(), v);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array instanceof ArrayNode) {
      array.forEach(n -> out.add(n.asText()));
    }
    return out;
  }
}
