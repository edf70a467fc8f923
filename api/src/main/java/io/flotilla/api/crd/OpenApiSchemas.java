package io.flotilla.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The published OpenAPI v3 schema of a custom resource version (for kubectl explain). */
final class OpenApiSchemas {
  private OpenApiSchemas() {}

  static ObjectNode forVersion(String group, String version, String kind, JsonNode v) {
    JsonNode source = v.path("schema").path("openAPIV3Schema");
    ObjectNode schema =
        source.isObject() ? (ObjectNode) source.deepCopy() : Schemas.MAPPER.createObjectNode();
    if (!schema.has("type")) {
      schema.put("type", "object");
    }
    ObjectNode properties =
        schema.path("properties") instanceof ObjectNode p ? p : schema.putObject("properties");
    properties.set(
        "apiVersion",
        field(
            "string",
            "APIVersion defines the versioned schema of this representation of an object."));
    properties.set(
        "kind",
        field(
            "string",
            "Kind is a string value representing the REST resource this object represents."));
    ObjectNode metadata =
        field(
            "object",
            "Standard object's metadata. More info:"
                + " https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata");
    // The CRD may only restrict name and generateName; keep those restrictions visible.
    JsonNode declared = source.path("properties").path("metadata").path("properties");
    if (declared.isObject()) {
      metadata.set("properties", declared.deepCopy());
    }
    properties.set("metadata", metadata);
    ObjectNode gvk = Schemas.MAPPER.createObjectNode();
    gvk.put("group", group).put("kind", kind).put("version", version);
    schema.putArray("x-kubernetes-group-version-kind").add(gvk);
    return schema;
  }

  private static ObjectNode field(String type, String description) {
    return Schemas.MAPPER.createObjectNode().put("description", description).put("type", type);
  }
}
