package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.ResourceType;
import io.flotilla.apiserver.rest.UpdateHandler.Mode;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * PATCH on an object or its status: applies the patch to the current object and goes through the
 * same update path as PUT (retrying on races unless the patch pins a resourceVersion). Apply
 * patches go to {@link ApplyHandler}.
 */
public final class PatchHandler {
  private final RestContext ctx;
  private final UpdateHandler updates;
  private final ApplyHandler applies;

  public PatchHandler(RestContext ctx, UpdateHandler updates) {
    this.ctx = ctx;
    this.updates = updates;
    this.applies = new ApplyHandler(ctx, updates);
  }

  public CompletableFuture<Reply> handle(ApiRequest req, Negotiation n) {
    ResourceType type = req.type();
    String mediaType = BodyDecoder.mediaType(req);
    if (mediaType.equals(ApplyHandler.MEDIA_TYPE)) {
      return applies.handle(req, n);
    }
    JsonNode patch = BodyDecoder.decode(req, mediaType);
    boolean status = req.info().subresource().equals("status");
    UnaryOperator<ObjectNode> desired =
        cur -> {
          ObjectNode next = patched(mediaType, type.gvk(), cur, patch, status);
          FieldValidation.apply(ctx.unknownFields(), req, type, next);
          return next;
        };
    return updates
        .update(req, desired, status ? Mode.STATUS : Mode.MAIN, null)
        .thenApply(o -> updates.reply(req, n, o));
  }

  static ObjectNode patched(
      String mediaType,
      io.flotilla.api.GroupVersionKind gvk,
      ObjectNode cur,
      JsonNode patch,
      boolean statusOnly) {
    JsonNode result = Patches.apply(mediaType, gvk, cur, patch);
    if (!(result instanceof ObjectNode obj)) {
      throw StatusException.badRequest("the patched object is not a JSON object");
    }
    ObjectNode out = obj;
    if (statusOnly) {
      out = cur.deepCopy();
      if (obj.has("status")) {
        out.set("status", obj.get("status"));
      } else {
        out.remove("status");
      }
    }
    if (!pinsResourceVersion(mediaType, patch)) {
      ObjectMetaRules.meta(out).remove("resourceVersion");
    } else {
      ObjectMetaRules.meta(out)
          .put("resourceVersion", obj.path("metadata").path("resourceVersion").asText(""));
    }
    return out;
  }

  private static boolean pinsResourceVersion(String mediaType, JsonNode patch) {
    if (mediaType.equals("application/json-patch+json")) {
      for (JsonNode op : patch) {
        if (op.path("path").asText().equals("/metadata/resourceVersion")) {
          return true;
        }
      }
      return false;
    }
    return patch.path("metadata").hasNonNull("resourceVersion");
  }
}
