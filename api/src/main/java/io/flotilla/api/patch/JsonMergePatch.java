package io.flotilla.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Applies an RFC 7386 JSON merge patch ({@code application/merge-patch+json}): an object patch
 * merges member by member into the target, a null member removes the target's member, and any other
 * value (arrays included) replaces what was there. The caller's trees are never changed.
 */
public final class JsonMergePatch {
  private JsonMergePatch() {}

  /**
   * Returns the patched copy of {@code target}.
   *
   * @throws PatchException MALFORMED if there is no patch document at all
   */
  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (patch == null || patch.isMissingNode()) {
      throw PatchException.malformed("a JSON merge patch must be a JSON document");
    }
    return merge(target == null ? null : target.deepCopy(), patch);
  }

  /** Merges into {@code target}, which this call owns and may change. */
  private static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result =
        target != null && target.isObject()
            ? (ObjectNode) target
            : JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> member : patch.properties()) {
      if (member.getValue().isNull()) {
        result.remove(member.getKey());
      } else {
        result.set(member.getKey(), merge(result.get(member.getKey()), member.getValue()));
      }
    }
    return result;
  }
}
