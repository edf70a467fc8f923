package io.flotilla.api.crd;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Instant;

/** Test fixtures: lenient JSON (single quotes, unquoted names), YAML, and a fixed now. */
final class Fixtures {
  private Fixtures() {}

  static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .configure(JsonParser.Feature.ALLOW_SINGLE_QUOTES, true)
          .configure(JsonParser.Feature.ALLOW_UNQUOTED_FIELD_NAMES, true);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static JsonNode json(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException("bad fixture: " + json, e);
    }
  }

  static ObjectNode object(String json) {
    return (ObjectNode) json(json);
  }

  static ObjectNode yaml(String yaml) {
    try {
      return (ObjectNode) YAML.readTree(yaml);
    } catch (Exception e) {
      throw new IllegalArgumentException("bad fixture: " + yaml, e);
    }
  }

  /** A behavior for a version whose whole schema is given, plus optional version fields. */
  static CustomResourceBehavior behavior(String schema) {
    ObjectNode version = object("{name: 'v1', served: true, storage: true}");
    version.putObject("schema").set("openAPIV3Schema", json(schema));
    return new CustomResourceBehavior(version);
  }

  /** A behavior whose schema is an object with just a spec of the given schema. */
  static CustomResourceBehavior specBehavior(String specSchema) {
    ObjectNode root = object("{type: 'object', properties: {}}");
    ((ObjectNode) root.get("properties")).set("spec", json(specSchema));
    ObjectNode version = object("{name: 'v1', served: true, storage: true}");
    version.putObject("schema").set("openAPIV3Schema", root);
    return new CustomResourceBehavior(version);
  }
}
