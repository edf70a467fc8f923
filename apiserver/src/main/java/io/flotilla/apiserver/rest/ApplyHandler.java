package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.ResourceType;
import io.flotilla.api.apply.ApplyConflictException;
import io.flotilla.api.apply.ApplySchema;
import io.flotilla.api.apply.FieldManager;
import io.flotilla.api.apply.FieldPath;
import io.flotilla.apiserver.rest.UpdateHandler.Mode;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Server-side apply (PATCH with {@code application/apply-patch+yaml}) and the managedFields
 * bookkeeping of every other write. An apply merges the configuration into the live object (or
 * creates it) for the {@code fieldManager}, answering 409 with one cause per field another manager
 * owns unless {@code force=true}; the result goes through the same update path as any PATCH.
 */
public final class ApplyHandler {
  static final String MEDIA_TYPE = "application/apply-patch+yaml";
  private static final FieldPath STATUS = FieldPath.of("status");
  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private final RestContext ctx;
  private final UpdateHandler updates;

  public ApplyHandler(RestContext ctx, UpdateHandler updates) {
    this.ctx = ctx;
    this.updates = updates;
  }

  public CompletableFuture<Reply> handle(ApiRequest req, Negotiation n) {
    ResourceType type = req.type();
    String manager = req.param("fieldManager");
    if (manager == null || manager.isEmpty()) {
      throw invalidOptions("FieldValueRequired", "Required value: is required for apply patch");
    }
    if (manager.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 128) {
      throw invalidOptions("FieldValueTooLong", "Too long: may not be more than 128 bytes");
    }
    boolean force = force(req);
    if (!(BodyDecoder.decode(req, MEDIA_TYPE) instanceof ObjectNode config)) {
      throw StatusException.badRequest("the apply configuration must be an object");
    }
    ObjectMetaRules.bindToUrl(type, req, config);
    ObjectNode meta = ObjectMetaRules.meta(config);
    if (meta.hasNonNull("managedFields")) {
      throw StatusException.badRequest("metadata.managedFields must be nil");
    }
    meta.remove("managedFields");
    FieldValidation.apply(ctx.unknownFields(), req, type, config);
    String pin = meta.path("resourceVersion").asText("");
    String sub = req.info().subresource();
    boolean status = sub.equals("status");
    FieldManager fm = fieldManager(type, sub);
    String time = ObjectMetaRules.timestamp(ctx.clock().instant());
    UnaryOperator<ObjectNode> desired =
        cur -> {
          ObjectNode merged = applied(fm, cur, config, manager, force, time);
          ObjectNode out = merged;
          if (status) {
            out = cur.deepCopy();
            out.set("status", merged.get("status"));
            JsonNode mf = merged.path("metadata").get("managedFields");
            ObjectMetaRules.meta(out).set("managedFields", mf);
            if (mf == null) {
              ObjectMetaRules.meta(out).remove("managedFields");
            }
          }
          ObjectMetaRules.meta(out).put("resourceVersion", pin);
          return out;
        };
    ObjectNode createBody = null;
    if (!status) {
      createBody = applied(fm, null, config, manager, force, time);
      ObjectMetaRules.meta(createBody).remove("resourceVersion");
    }
    return updates
        .update(req, desired, status ? Mode.STATUS : Mode.MAIN, createBody)
        .thenApply(o -> updates.reply(req, n, o));
  }

  private static ObjectNode applied(
      FieldManager fm,
      ObjectNode live,
      ObjectNode config,
      String manager,
      boolean force,
      String time) {
    ObjectNode merged;
    try {
      merged = fm.apply(live, config, manager, force, time);
    } catch (ApplyConflictException e) {
      throw conflict(e);
    }
    syncLastApplied(manager, config, merged);
    return merged;
  }

  /**
   * As upstream, an apply by "kubectl" to an object that carries client-side apply's annotation
   * rewrites it to the applied configuration, so a later client-side apply diffs against it.
   */
  private static void syncLastApplied(String manager, ObjectNode config, ObjectNode merged) {
    JsonNode annotations = merged.path("metadata").path("annotations");
    if (!manager.equals("kubectl") || !annotations.has(LAST_APPLIED)) {
      return;
    }
    ObjectNode last = config.deepCopy();
    if (last.path("metadata").path("annotations") instanceof ObjectNode a) {
      a.remove(LAST_APPLIED);
      if (a.isEmpty()) {
        ((ObjectNode) last.get("metadata")).remove("annotations");
      }
    }
    ((ObjectNode) annotations).put(LAST_APPLIED, last.toString());
  }

  /**
   * Records an Update entry for a write that is not an apply; {@code old} is null on create. Apply
   * requests carry the entries their merge computed.
   */
  static void recordUpdate(RestContext ctx, ApiRequest req, ObjectNode old, ObjectNode next) {
    if (req.info() != null
        && req.info().verb().equals("patch")
        && BodyDecoder.mediaType(req).equals(MEDIA_TYPE)) {
      return;
    }
    String sub = req.info() == null ? "" : req.info().subresource();
    fieldManager(req.type(), sub)
        .recordUpdate(old, next, manager(req), ObjectMetaRules.timestamp(ctx.clock().instant()));
  }

  /** The request's fieldManager, or as upstream the first segment of its User-Agent. */
  static String manager(ApiRequest req) {
    String m = req.param("fieldManager");
    if (m != null && !m.isEmpty()) {
      return m;
    }
    String agent = req.headers() == null ? null : req.headers().get("User-Agent");
    if (agent == null) {
      return "";
    }
    int slash = agent.indexOf('/');
    return slash < 0 ? agent : agent.substring(0, slash);
  }

  private static FieldManager fieldManager(ResourceType type, String sub) {
    Predicate<FieldPath> tracked =
        switch (sub) {
          case "status" -> p -> p.startsWith(STATUS);
          case "" -> type.hasSubresource("status") ? p -> !p.startsWith(STATUS) : p -> true;
          default -> p -> true;
        };
    return new FieldManager(ApplySchema.forKind(type.gvk()), type.apiVersion(), sub, tracked);
  }

  private static boolean force(ApiRequest req) {
    String f = req.param("force");
    if (f == null || f.isEmpty() || f.equals("false")) {
      return false;
    }
    if (f.equals("true")) {
      return true;
    }
    throw StatusException.badRequest("invalid value for query parameter force: \"" + f + "\"");
  }

  /** Upstream's answer to bad PatchOptions: 422 naming the fieldManager parameter. */
  private static StatusException invalidOptions(String reason, String message) {
    ObjectNode d = JsonNodeFactory.instance.objectNode();
    d.put("group", "meta.k8s.io").put("kind", "PatchOptions");
    d.putArray("causes")
        .addObject()
        .put("reason", reason)
        .put("message", message)
        .put("field", "fieldManager");
    return new StatusException(
        422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: " + message, d);
  }

  private static StatusException conflict(ApplyConflictException e) {
    ObjectNode d = JsonNodeFactory.instance.objectNode();
    ArrayNode causes = d.putArray("causes");
    for (ApplyConflictException.Conflict c : e.conflicts()) {
      causes
          .addObject()
          .put("reason", "FieldManagerConflict")
          .put("message", c.causeMessage())
          .put("field", c.path().toString());
    }
    return new StatusException(409, "Conflict", e.getMessage(), d);
  }
}
