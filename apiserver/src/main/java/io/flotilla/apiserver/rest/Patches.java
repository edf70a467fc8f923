package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.GroupVersionKind;
import io.flotilla.api.patch.JsonMergePatch;
import io.flotilla.api.patch.JsonPatch;
import io.flotilla.api.patch.PatchException;
import io.flotilla.api.patch.PatchSchema;
import io.flotilla.api.patch.StrategicMergePatch;

/**
 * Applies a PATCH body by its media type: JSON patch (RFC 6902), JSON merge patch (RFC 7386), and
 * strategic merge patch (built-in kinds only, as upstream). Apply patches are not patches in this
 * sense: {@link ApplyHandler} merges them with field ownership. Pure functions.
 */
public final class Patches {
  private Patches() {}

  public static JsonNode apply(
      String mediaType, GroupVersionKind gvk, JsonNode target, JsonNode patch) {
    try {
      return switch (mediaType) {
        case "application/json-patch+json" -> JsonPatch.apply(target, patch);
        case "application/merge-patch+json" -> JsonMergePatch.apply(target, patch);
        case "application/strategic-merge-patch+json" -> {
          PatchSchema schema =
              gvk == null
                  ? PatchSchema.opaque()
                  : PatchSchema.forKind(gvk).orElseThrow(() -> unsupported(mediaType));
          yield StrategicMergePatch.apply(target, patch, schema);
        }
        default -> throw unsupported(mediaType);
      };
    } catch (PatchException e) {
      int code = e.reason().httpStatus();
      throw new StatusException(code, code == 400 ? "BadRequest" : "Invalid", e.getMessage(), null);
    }
  }

  private static StatusException unsupported(String mediaType) {
    return new StatusException(
        415,
        "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include:"
            + " application/json-patch+json, application/merge-patch+json,"
            + " application/apply-patch+yaml, application/strategic-merge-patch+json (got "
            + mediaType
            + ")",
        null);
  }
}
