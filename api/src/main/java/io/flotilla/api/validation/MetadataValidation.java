package io.flotilla.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The checks upstream applies to every object's metadata (ObjectMeta). */
final class MetadataValidation {
  private MetadataValidation() {}

  /** The most bytes all annotations of one object may take, keys and values together. */
  static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

  static List<FieldError> validate(ObjectNode object, boolean namespaced, NameRule rule) {
    Errors errs = new Errors();
    ObjectNode meta = Json.object(object, "metadata");
    if (meta == null) {
      return errs.required("metadata.name", "name or generateName is required").list();
    }
    String name = Json.textOr(meta, "name");
    String generateName = Json.textOr(meta, "generateName");
    if (!generateName.isEmpty()) {
      errs.invalidEach("metadata.generateName", generateName, rule.check(generateName, true));
    }
    if (name.isEmpty()) {
      if (generateName.isEmpty()) {
        errs.required("metadata.name", "name or generateName is required");
      }
    } else {
      errs.invalidEach("metadata.name", name, rule.check(name, false));
    }
    String namespace = Json.textOr(meta, "namespace");
    if (namespaced) {
      if (namespace.isEmpty()) {
        errs.required("metadata.namespace");
      } else {
        errs.invalidEach("metadata.namespace", namespace, Names.dns1123Label(namespace));
      }
    } else if (!namespace.isEmpty()) {
      errs.forbidden("metadata.namespace", "not allowed on this type");
    }
    validateGeneration(meta, errs);
    validateLabels(Json.entries(meta, "labels"), "metadata.labels", errs);
    validateAnnotations(Json.entries(meta, "annotations"), "metadata.annotations", errs);
    validateFinalizers(Json.strings(meta, "finalizers"), errs);
    validateOwnerReferences(Json.objects(meta, "ownerReferences"), errs);
    return errs.list();
  }

  private static void validateGeneration(ObjectNode meta, Errors errs) {
    Long generation = Json.integer(meta, "generation");
    if (generation != null && generation < 0) {
      errs.invalid("metadata.generation", generation, "must be greater than or equal to 0");
    }
  }

  /** Label keys are qualified names, values label values; path is the labels map's path. */
  static void validateLabels(List<Map.Entry<String, JsonNode>> labels, String path, Errors errs) {
    for (Map.Entry<String, JsonNode> e : labels) {
      errs.invalidEach(path, e.getKey(), Names.qualifiedName(e.getKey()));
      JsonNode v = e.getValue();
      if (!v.isTextual()) {
        errs.invalid(path, v, "label values must be strings");
      } else {
        errs.invalidEach(path, v.textValue(), Names.labelValue(v.textValue()));
      }
    }
  }

  /** Annotation keys are qualified names (checked lower-cased); all together at most 256 KiB. */
  static void validateAnnotations(
      List<Map.Entry<String, JsonNode>> annotations, String path, Errors errs) {
    long total = 0;
    for (Map.Entry<String, JsonNode> e : annotations) {
      String key = e.getKey();
      errs.invalidEach(path, key, Names.qualifiedName(key.toLowerCase(java.util.Locale.ROOT)));
      total += key.getBytes(StandardCharsets.UTF_8).length;
      total += e.getValue().asText().getBytes(StandardCharsets.UTF_8).length;
    }
    if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
      errs.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT);
    }
  }

  private static void validateFinalizers(List<String> finalizers, Errors errs) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < finalizers.size(); i++) {
      String f = finalizers.get(i);
      errs.invalidEach("metadata.finalizers", f, Names.qualifiedName(f));
      if (!seen.add(f)) {
        errs.duplicate("metadata.finalizers[" + i + "]", f);
      }
    }
  }

  private static void validateOwnerReferences(List<ObjectNode> refs, Errors errs) {
    String path = "metadata.ownerReferences";
    List<String> controllers = new ArrayList<>();
    for (ObjectNode ref : refs) {
      String apiVersion = Json.textOr(ref, "apiVersion");
      if (apiVersion.isEmpty()) {
        errs.invalid(path + ".apiVersion", apiVersion, "version must not be empty");
      }
      String kind = Json.textOr(ref, "kind");
      if (kind.isEmpty()) {
        errs.invalid(path + ".kind", kind, "kind must not be empty");
      }
      String name = Json.textOr(ref, "name");
      if (name.isEmpty()) {
        errs.invalid(path + ".name", name, "name must not be empty");
      }
      String uid = Json.textOr(ref, "uid");
      if (uid.isEmpty()) {
        errs.invalid(path + ".uid", uid, "uid must not be empty");
      }
      if (ref.path("controller").asBoolean(false)) {
        controllers.add(name);
      }
    }
    if (controllers.size() > 1) {
      errs.invalid(
          path,
          refs.toString(),
          "Only one reference can have Controller set to true. Found \"true\" in references for "
              + String.join(" and ", controllers));
    }
  }
}
