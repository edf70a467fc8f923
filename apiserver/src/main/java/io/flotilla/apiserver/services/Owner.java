package io.flotilla.apiserver.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.apiserver.registry.ObjectCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Who holds an allocation: the Service's namespace, name and uid, and when it was taken (so that
 * the repair pass leaves young allocations alone: their Service may still be on its way to the
 * store).
 */
public record Owner(String namespace, String name, String uid, Instant allocatedAt) {

  /** The owner of a Service object, as of {@code now}. */
  static Owner of(JsonNode service, Instant now) {
    JsonNode m = service.path("metadata");
    return new Owner(
        m.path("namespace").asText(""), m.path("name").asText(""), m.path("uid").asText(""), now);
  }

  byte[] encode() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("namespace", namespace).put("name", name).put("uid", uid);
    o.put("allocatedAt", allocatedAt.toString());
    try {
      return ObjectCodec.MAPPER.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Decodes a stored owner; an unreadable value decodes as an owner nobody matches, long ago. */
  static Owner decode(byte[] value) {
    try {
      JsonNode o = ObjectCodec.MAPPER.readTree(value);
      return new Owner(
          o.path("namespace").asText(""),
          o.path("name").asText(""),
          o.path("uid").asText(""),
          Instant.parse(o.path("allocatedAt").asText(Instant.EPOCH.toString())));
    } catch (IOException | RuntimeException e) {
      return new Owner("", "", "", Instant.EPOCH);
    }
  }

  @Override
  public String toString() {
    return namespace + "/" + name + " (uid " + uid + ")";
  }
}
