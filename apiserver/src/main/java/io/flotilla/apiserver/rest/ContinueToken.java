package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The {@code continue} token of a paginated list: base64 of {@code
 * {"v":"meta.k8s.io/v1","rv":<revision>,"start":"<key after the prefix>"}}, as upstream encodes it.
 */
public record ContinueToken(long revision, String start) {

  public String encode() {
    var node = JsonNodeFactory.instance.objectNode();
    node.put("v", "meta.k8s.io/v1").put("rv", revision).put("start", start);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Replies.bytes(node));
  }

  public static ContinueToken decode(String token) {
    try {
      byte[] raw =
          Base64.getUrlDecoder().decode(token.replace('+', '-').replace('/', '_').replace("=", ""));
      JsonNode n =
          io.flotilla.apiserver.registry.ObjectCodec.MAPPER.readTree(
              new String(raw, StandardCharsets.UTF_8));
      if (!n.path("rv").canConvertToLong()
          || !n.path("start").isTextual()
          || n.path("rv").asLong() <= 0) {
        throw new IllegalArgumentException("missing fields");
      }
      String start = n.get("start").asText();
      if (start.contains("..") || start.startsWith("/")) {
        throw new IllegalArgumentException("bad start key");
      }
      return new ContinueToken(n.get("rv").asLong(), start);
    } catch (Exception e) {
      throw StatusException.badRequest(
          "continue key is not valid: the continue parameter must be a token returned by a"
              + " previous list");
    }
  }
}
