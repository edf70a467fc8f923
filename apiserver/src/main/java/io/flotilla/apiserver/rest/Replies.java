package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.flotilla.apiserver.registry.JsonMappers;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Serializes response bodies: JSON (compact or pretty) or YAML, with Warning headers. */
public final class Replies {
  private static final ObjectMapper JSON = JsonMappers.pooled();
  private static final ObjectMapper PRETTY =
      JsonMappers.pooled().enable(SerializationFeature.INDENT_OUTPUT);
  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .build();

  private Replies() {}

  public static Reply.Full of(int code, JsonNode body, ApiRequest req, Negotiation n) {
    Map<String, String> headers = warnings(req);
    try {
      if (n != null && n.yaml()) {
        return new Reply.Full(code, YAML.writeValueAsBytes(body), "application/yaml", headers);
      }
      boolean pretty = req != null && "true".equals(req.param("pretty"));
      byte[] bytes = (pretty ? PRETTY : JSON).writeValueAsBytes(body);
      return new Reply.Full(code, bytes, "application/json", headers);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JSON body written already, with the request's Warning headers. */
  public static Reply.Full ofJson(int code, byte[] json, ApiRequest req) {
    return new Reply.Full(code, json, "application/json", warnings(req));
  }

  private static Map<String, String> warnings(ApiRequest req) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (req != null && !req.warnings().isEmpty()) {
      StringBuilder w = new StringBuilder();
      for (String warning : req.warnings()) {
        w.append(w.isEmpty() ? "" : ", ")
            .append("299 - \"")
            .append(warning.replace("\"", "\\\""))
            .append('"');
      }
      headers.put("Warning", w.toString());
    }
    return headers;
  }

  public static Reply.Full json(int code, JsonNode body) {
    return of(code, body, null, null);
  }

  public static Reply.Full text(int code, String body, String contentType) {
    return new Reply.Full(code, body.getBytes(StandardCharsets.UTF_8), contentType, Map.of());
  }

  public static Reply.Full status(StatusException e) {
    return json(e.code(), e.toStatus());
  }

  public static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
