package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.flotilla.api.protobuf.ProtobufBodies;
import io.flotilla.api.protobuf.ProtobufDecodeException;
import io.flotilla.apiserver.registry.JsonMappers;
import java.io.IOException;

/**
 * Turns a request body into a JSON tree according to its Content-Type: JSON, YAML, or Kubernetes
 * protobuf. Duplicate fields are handled per the {@code fieldValidation} parameter: Strict rejects,
 * Warn (the default) warns, Ignore keeps the last value silently.
 */
public final class BodyDecoder {
  private static final ObjectMapper STRICT =
      JsonMappers.pooled().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final ObjectMapper LENIENT = JsonMappers.pooled();
  private static final YAMLMapper YAML_STRICT =
      (YAMLMapper) new YAMLMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final YAMLMapper YAML = new YAMLMapper();

  private BodyDecoder() {}

  /** The body as an object; {@code 400} when it is not one, {@code 415} for unknown types. */
  public static ObjectNode decodeObject(ApiRequest req) {
    JsonNode node = decode(req, mediaType(req));
    if (!(node instanceof ObjectNode o)) {
      throw StatusException.badRequest(
          "the request body must be a JSON object, got " + node.getNodeType().name().toLowerCase());
    }
    return o;
  }

  public static String mediaType(ApiRequest req) {
    String ct = req.headers().get("Content-Type");
    if (ct == null || ct.isBlank()) {
      return "application/json";
    }
    int semi = ct.indexOf(';');
    return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase();
  }

  /** Decodes the body as the given media type (JSON-compatible types are parsed as JSON). */
  public static JsonNode decode(ApiRequest req, String mediaType) {
    byte[] body = req.body();
    if (body.length == 0) {
      throw StatusException.badRequest("the request body is empty: an object is required");
    }
    if (mediaType.equals("application/vnd.kubernetes.protobuf")) {
      return protobuf(body);
    }
    boolean yaml =
        mediaType.equals("application/yaml")
            || mediaType.equals("application/apply-patch+yaml")
            || mediaType.equals("text/yaml");
    boolean json =
        mediaType.equals("application/json")
            || mediaType.endsWith("+json")
            || mediaType.equals("*/*");
    if (!yaml && !json) {
      throw StatusException.unsupportedMediaType(mediaType);
    }
    String mode = FieldValidation.mode(req);
    ObjectMapper strict = yaml ? YAML_STRICT : STRICT;
    ObjectMapper lenient = yaml ? YAML : LENIENT;
    try {
      return strict.readTree(body);
    } catch (JsonProcessingException e) {
      String msg = e.getOriginalMessage();
      if (msg != null && msg.startsWith("Duplicate field")) {
        String dup =
            "duplicate field " + msg.substring("Duplicate field ".length()).replace('\'', '"');
        if (mode.equals("Strict")) {
          throw StatusException.badRequest("strict decoding error: " + dup);
        }
        if (mode.equals("Warn")) {
          req.warnings().add(dup);
        }
        return parse(lenient, body);
      }
      throw malformed(yaml, e);
    } catch (IOException e) {
      throw malformed(yaml, e);
    }
  }

  private static JsonNode parse(ObjectMapper m, byte[] body) {
    try {
      return m.readTree(body);
    } catch (IOException e) {
      throw malformed(false, e);
    }
  }

  private static StatusException malformed(boolean yaml, IOException e) {
    String detail =
        e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    if (e instanceof JsonProcessingException j && j.getLocation() != null) {
      detail +=
          " (line "
              + j.getLocation().getLineNr()
              + ", column "
              + j.getLocation().getColumnNr()
              + ")";
    }
    return StatusException.badRequest(
        "the request body is not valid " + (yaml ? "YAML" : "JSON") + ": " + detail);
  }

  private static JsonNode protobuf(byte[] body) {
    try {
      return ProtobufBodies.decode(body);
    } catch (ProtobufDecodeException e) {
      if (e.reason() == ProtobufDecodeException.Reason.UNKNOWN_KIND
          || e.reason() == ProtobufDecodeException.Reason.UNSUPPORTED_ENCODING) {
        throw new StatusException(415, "UnsupportedMediaType", e.getMessage(), null);
      }
      throw StatusException.badRequest(
          "the protobuf request body could not be decoded: " + e.getMessage());
    }
  }
}
