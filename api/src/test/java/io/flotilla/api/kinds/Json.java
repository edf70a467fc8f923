package io.flotilla.api.kinds;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;

/** Fixtures for printer tests: lenient JSON (single quotes, unquoted names) and a fixed now. */
final class Json {
  private Json() {}

  static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .configure(JsonParser.Feature.ALLOW_SINGLE_QUOTES, true)
          .configure(JsonParser.Feature.ALLOW_UNQUOTED_FIELD_NAMES, true);

  static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException("bad fixture: " + json, e);
    }
  }
}
