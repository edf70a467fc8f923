package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.FieldError;
import io.flotilla.api.ResourceType;
import io.flotilla.api.crd.CustomResourceBehavior;
import io.flotilla.apiserver.rest.RestContext.Stored;
import io.flotilla.apiserver.services.ServiceSpecs;
import io.flotilla.store.Txn;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * Read-modify-write of one object, shared by PUT, PATCH and the status, finalize and scale
 * subresources. Each attempt reads the current object, computes the desired one, keeps the fields
 * the server owns, defaults, validates and writes only if the key is unchanged; a lost race is
 * retried unless the client pinned a resourceVersion. An update that clears the last finalizer of a
 * terminating object deletes it.
 */
public final class UpdateHandler {
  /** Kinds upstream lets PUT create (AllowCreateOnUpdate). */
  private static final Set<String> CREATE_ON_UPDATE =
      Set.of("services", "endpoints", "events", "leases", "limitranges", "endpointslices");

  private static final int MAX_ATTEMPTS = 16;
  private final RestContext ctx;
  private final CreateHandler creates;

  public UpdateHandler(RestContext ctx, CreateHandler creates) {
    this.ctx = ctx;
    this.creates = creates;
  }

  /** How the desired object's status relates to the request. */
  public enum Mode {
    /** A main-resource write: status is kept from the stored object when a subresource owns it. */
    MAIN,
    /** A status write: only status may change. */
    STATUS,
    /** A server-internal write that may change anything (scale, finalize). */
    ANY
  }

  /** The result of an update: the object and whether it was created. */
  public record Outcome(ObjectNode object, boolean created) {}

  /** PUT on an object or its status or finalize subresource. */
  public CompletableFuture<Reply> put(ApiRequest req, Negotiation n) {
    ResourceType type = req.type();
    ObjectNode body = BodyDecoder.decodeObject(req);
    ObjectMetaRules.bindToUrl(type, req, body);
    FieldValidation.apply(ctx.unknownFields(), req, type, body);
    String sub = req.info().subresource();
    Mode mode = sub.equals("status") ? Mode.STATUS : sub.equals("finalize") ? Mode.ANY : Mode.MAIN;
    UnaryOperator<ObjectNode> desired =
        switch (sub) {
          case "status" -> cur -> withStatus(cur, body);
          case "finalize" -> cur -> withSpecFinalizers(cur, body);
          default -> cur -> body.deepCopy();
        };
    boolean mayCreate =
        sub.isEmpty() && type.group().isEmpty() && CREATE_ON_UPDATE.contains(type.plural());
    return update(req, desired, mode, mayCreate ? body : null).thenApply(o -> reply(req, n, o));
  }

  /** The answer to a write through {@link #update}: 201 when it created the object, else 200. */
  Reply reply(ApiRequest req, Negotiation n, Outcome o) {
    return Replies.of(
        o.created() ? 201 : 200,
        Representations.single(n, req, req.type(), o.object(), ctx.clock().instant()),
        req,
        n);
  }

  private static ObjectNode withStatus(ObjectNode cur, ObjectNode body) {
    ObjectNode out = cur.deepCopy();
    JsonNode status = body.get("status");
    if (status == null) {
      out.remove("status");
    } else {
      out.set("status", status.deepCopy());
    }
    String rv = body.path("metadata").path("resourceVersion").asText("");
    ObjectMetaRules.meta(out).put("resourceVersion", rv);
    return out;
  }

  private static ObjectNode withSpecFinalizers(ObjectNode cur, ObjectNode body) {
    ObjectNode out = cur.deepCopy();
    JsonNode fin = body.path("spec").get("finalizers");
    if (fin == null) {
      out.with("spec").remove("finalizers");
    } else {
      out.with("spec").set("finalizers", fin.deepCopy());
    }
    String rv = body.path("metadata").path("resourceVersion").asText("");
    ObjectMetaRules.meta(out).put("resourceVersion", rv);
    return out;
  }

  /**
   * Updates the object the request addresses. {@code desired} maps a copy of the current object
   * (resourceVersion set) to the object wanted; a non-empty resourceVersion in its result is a
   * precondition. With {@code createBody} non-null a missing object is created from it.
   */
  public CompletableFuture<Outcome> update(
      ApiRequest req, UnaryOperator<ObjectNode> desired, Mode mode, ObjectNode createBody) {
    return attempt(req, desired, mode, createBody, 1);
  }

  private CompletableFuture<Outcome> attempt(
      ApiRequest req,
      UnaryOperator<ObjectNode> desired,
      Mode mode,
      ObjectNode createBody,
      int attempt) {
    ResourceType type = req.type();
    String ns = type.namespaced() ? req.namespace() : "";
    return ctx.read(type, ns, req.name())
        .thenCompose(
            cur -> {
              if (cur == null) {
                if (createBody == null) {
                  throw StatusException.notFound(type, req.name());
                }
                return creates
                    .create(req, createBody.deepCopy())
                    .thenApply(o -> new Outcome(o, true));
              }
              ObjectNode next = desired.apply(cur.object().deepCopy());
              String rv = next.path("metadata").path("resourceVersion").asText("");
              boolean pinned = !rv.isEmpty();
              if (pinned && !rv.equals(Long.toString(cur.revision()))) {
                throw StatusException.staleUpdate(type, req.name());
              }
              return write(req, cur, next, mode)
                  .thenCompose(
                      done -> {
                        if (done != null) {
                          return CompletableFuture.completedFuture(new Outcome(done, false));
                        }
                        if (pinned || attempt >= MAX_ATTEMPTS) {
                          throw StatusException.staleUpdate(type, req.name());
                        }
                        return attempt(req, desired, mode, createBody, attempt + 1);
                      });
            });
  }

  /** Writes one attempt; completes with null when the key changed underneath (retry). */
  private CompletableFuture<ObjectNode> write(
      ApiRequest req, Stored cur, ObjectNode next, Mode mode) {
    ResourceType type = req.type();
    ObjectNode old = cur.object();
    keepServerFields(type, old, next, mode);
    if (mode == Mode.MAIN && ServiceSpecs.isService(type)) {
      ServiceSpecs.prepareUpdate(old, next);
    }
    type.behavior().applyDefaults(next);
    ApplyHandler.recordUpdate(ctx, req, old, next);
    List<FieldError> errors = new ArrayList<>(ObjectMetaRules.validate(type, next));
    errors.addAll(finalizerErrors(old, next));
    errors.addAll(type.behavior().validate(next, old));
    if (!errors.isEmpty()) {
      throw StatusException.invalid(type, req.name(), errors);
    }
    boolean dryRun = req.dryRun();
    return ctx.services().around(type, next, old, dryRun, () -> store(req, cur, next));
  }

  private CompletableFuture<ObjectNode> store(ApiRequest req, Stored cur, ObjectNode next) {
    ResourceType type = req.type();
    ObjectNode old = cur.object();
    bumpGeneration(type, old, next);
    ObjectMetaRules.meta(next).put("resourceVersion", Long.toString(cur.revision()));
    if (next.equals(old)) {
      return CompletableFuture.completedFuture(old);
    }
    boolean dryRun = req.dryRun();
    if (Deletion.finished(type, next)) {
      if (dryRun) {
        return CompletableFuture.completedFuture(next);
      }
      return ctx.store()
          .txn(Txn.delete(cur.key(), cur.revision()))
          .thenCompose(
              r ->
                  r.succeeded()
                      ? ctx.services().released(type, old).thenApply(v -> next)
                      : CompletableFuture.<ObjectNode>completedFuture(null));
    }
    if (dryRun) {
      return CompletableFuture.completedFuture(next);
    }
    return ctx.updateIfUnchanged(cur, next);
  }

  private static void keepServerFields(
      ResourceType type, ObjectNode old, ObjectNode next, Mode mode) {
    ObjectNode meta = ObjectMetaRules.meta(next);
    JsonNode oldMeta = old.path("metadata");
    for (String f :
        List.of(
            "uid",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "generation",
            "name",
            "namespace")) {
      JsonNode v = oldMeta.get(f);
      if (v == null) {
        meta.remove(f);
      } else {
        meta.set(f, v.deepCopy());
      }
    }
    meta.remove("selfLink");
    next.put("apiVersion", type.apiVersion());
    next.put("kind", type.kind());
    if (mode == Mode.MAIN && type.hasSubresource("status")) {
      JsonNode status = old.get("status");
      if (status == null) {
        next.remove("status");
      } else {
        next.set("status", status.deepCopy());
      }
    }
  }

  private static List<FieldError> finalizerErrors(ObjectNode old, ObjectNode next) {
    if (!old.path("metadata").hasNonNull("deletionTimestamp")) {
      return List.of();
    }
    List<String> before = new ArrayList<>();
    old.path("metadata").path("finalizers").forEach(f -> before.add(f.asText()));
    for (JsonNode f : next.path("metadata").path("finalizers")) {
      if (!before.contains(f.asText())) {
        return List.of(
            FieldError.forbidden(
                "metadata.finalizers",
                "no new finalizers can be added if the object is being deleted, found new finalizers [\""
                    + f.asText()
                    + "\"]"));
      }
    }
    return List.of();
  }

  private static void bumpGeneration(ResourceType type, ObjectNode old, ObjectNode next) {
    if (!type.behavior().tracksGeneration()) {
      return;
    }
    ObjectNode a = old.deepCopy();
    ObjectNode b = next.deepCopy();
    // A custom resource without a status subresource counts status changes as spec changes.
    List<String> ignored =
        type.behavior() instanceof CustomResourceBehavior c && !c.hasStatusSubresource()
            ? List.of("metadata", "apiVersion", "kind")
            : List.of("metadata", "status", "apiVersion", "kind");
    a.remove(ignored);
    b.remove(ignored);
    long gen = old.path("metadata").path("generation").asLong(1);
    // Only a change is written: put(long) makes a LongNode, which never equals the stored IntNode.
    if (!a.equals(b) || !old.path("metadata").has("generation")) {
      ObjectMetaRules.meta(next).put("generation", a.equals(b) ? gen : gen + 1);
    }
  }
}
