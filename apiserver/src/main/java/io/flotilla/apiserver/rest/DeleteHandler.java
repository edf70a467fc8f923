package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.ResourceType;
import io.flotilla.apiserver.rest.RestContext.Stored;
import io.flotilla.store.Txn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * DELETE of one object and of a collection. An object with finalizers (including the orphan and
 * foregroundDeletion finalizers a propagation policy adds), a namespace, or a pod bound to a node
 * with a grace period is marked with a deletionTimestamp and stays; anything else is removed now.
 * Both answer 200 with the object.
 */
public final class DeleteHandler {
  private static final int MAX_ATTEMPTS = 16;
  private final RestContext ctx;
  private final ReadHandler reads;

  public DeleteHandler(RestContext ctx, ReadHandler reads) {
    this.ctx = ctx;
    this.reads = reads;
  }

  /** DeleteOptions from the body and the query. */
  record Options(
      Long gracePeriodSeconds, String propagationPolicy, String uid, String resourceVersion) {}

  public CompletableFuture<Reply> delete(ApiRequest req, Negotiation n) {
    Options opts = options(req);
    boolean dryRun = req.dryRun();
    String ns = req.type().namespaced() ? req.namespace() : "";
    return deleteOne(req.type(), ns, req.name(), opts, dryRun, 1)
        .thenApply(
            o ->
                Replies.of(
                    200,
                    Representations.single(n, req, req.type(), o, ctx.clock().instant()),
                    req,
                    n));
  }

  public CompletableFuture<Reply> deleteCollection(ApiRequest req, Negotiation n) {
    Options opts = options(req);
    boolean dryRun = req.dryRun();
    ResourceType type = req.type();
    return reads
        .listAll(req)
        .thenCompose(
            items -> {
              List<CompletableFuture<ObjectNode>> all = new ArrayList<>();
              for (ObjectNode o : items) {
                JsonNode m = o.path("metadata");
                all.add(
                    deleteOne(
                            type,
                            m.path("namespace").asText(""),
                            m.path("name").asText(),
                            opts,
                            dryRun,
                            1)
                        .exceptionally(e -> null));
              }
              return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                  .thenApply(
                      v -> {
                        List<ObjectNode> deleted = new ArrayList<>();
                        all.forEach(
                            f -> {
                              if (f.join() != null) {
                                deleted.add(f.join());
                              }
                            });
                        ObjectNode meta = JsonNodeFactory.instance.objectNode();
                        meta.put("resourceVersion", "");
                        return Replies.of(
                            200,
                            Representations.list(
                                n, req, type, deleted, meta, ctx.clock().instant()),
                            req,
                            n);
                      });
            });
  }

  private static Options options(ApiRequest req) {
    Long grace =
        req.param("gracePeriodSeconds") == null ? null : req.longParam("gracePeriodSeconds", 0);
    String policy = req.param("propagationPolicy");
    String uid = null;
    String rv = null;
    if (req.param("orphanDependents") != null && policy == null) {
      policy = "true".equals(req.param("orphanDependents")) ? "Orphan" : "Background";
    }
    if (req.body().length > 0) {
      ObjectNode body = BodyDecoder.decodeObject(req);
      if (body.hasNonNull("gracePeriodSeconds")) {
        grace = body.get("gracePeriodSeconds").asLong();
      }
      if (body.hasNonNull("propagationPolicy")) {
        policy = body.get("propagationPolicy").asText();
      } else if (body.hasNonNull("orphanDependents") && policy == null) {
        policy = body.get("orphanDependents").asBoolean() ? "Orphan" : "Background";
      }
      uid = body.path("preconditions").path("uid").asText(null);
      rv = body.path("preconditions").path("resourceVersion").asText(null);
    }
    if (policy != null
        && !policy.equals("Orphan")
        && !policy.equals("Foreground")
        && !policy.equals("Background")) {
      throw StatusException.badRequest(
          "propagationPolicy: Unsupported value: \""
              + policy
              + "\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
    }
    if (grace != null && grace < 0) {
      grace = 0L;
    }
    return new Options(grace, policy, uid, rv);
  }

  CompletableFuture<ObjectNode> deleteOne(
      ResourceType type, String ns, String name, Options opts, boolean dryRun, int attempt) {
    return ctx.read(type, ns, name)
        .thenCompose(
            cur -> {
              if (cur == null) {
                throw StatusException.notFound(type, name);
              }
              checkPreconditions(type, name, cur, opts);
              ObjectNode next = terminating(type, cur.object().deepCopy(), opts);
              CompletableFuture<ObjectNode> done;
              if (next == null) {
                done =
                    dryRun
                        ? CompletableFuture.completedFuture(cur.object())
                        : ctx.store()
                            .txn(Txn.delete(cur.key(), cur.revision()))
                            .thenCompose(
                                r ->
                                    r.succeeded()
                                        ? ctx.services()
                                            .released(type, cur.object())
                                            .thenApply(v -> cur.object())
                                        : CompletableFuture.<ObjectNode>completedFuture(null));
              } else if (next.equals(cur.object()) || dryRun) {
                done = CompletableFuture.completedFuture(next);
              } else {
                done = ctx.updateIfUnchanged(cur, next);
              }
              return done.thenCompose(
                  o -> {
                    if (o != null) {
                      return CompletableFuture.completedFuture(o);
                    }
                    if (attempt >= MAX_ATTEMPTS) {
                      throw StatusException.staleUpdate(type, name);
                    }
                    return deleteOne(type, ns, name, opts, dryRun, attempt + 1);
                  });
            });
  }

  private static void checkPreconditions(ResourceType type, String name, Stored cur, Options o) {
    JsonNode meta = cur.object().path("metadata");
    String uid = meta.path("uid").asText("");
    if (o.uid() != null && !o.uid().equals(uid)) {
      throw StatusException.conflict(
          type,
          name,
          "Precondition failed: UID in precondition: " + o.uid() + ", UID in object meta: " + uid);
    }
    String rv = Long.toString(cur.revision());
    if (o.resourceVersion() != null && !o.resourceVersion().equals(rv)) {
      throw StatusException.conflict(
          type,
          name,
          "Precondition failed: ResourceVersion in precondition: "
              + o.resourceVersion()
              + ", ResourceVersion in object meta: "
              + rv);
    }
  }

  /**
   * The object as it stays after this delete, or null when it is to be removed now. Returns the
   * unchanged object when it is already terminating with nothing to shorten.
   */
  private ObjectNode terminating(ResourceType type, ObjectNode obj, Options opts) {
    ObjectNode meta = ObjectMetaRules.meta(obj);
    Instant now = ctx.clock().instant();
    if (Deletion.isNamespace(type)) {
      if (!meta.hasNonNull("deletionTimestamp")) {
        meta.put("deletionTimestamp", ObjectMetaRules.timestamp(now));
        meta.put("deletionGracePeriodSeconds", 0);
        obj.with("status").put("phase", "Terminating");
        return obj;
      }
      if (!obj.path("spec").path("finalizers").isEmpty()) {
        throw StatusException.conflict(
            type,
            meta.path("name").asText(),
            "The system is ensuring all content is removed from this namespace.  Upon completion,"
                + " this namespace will automatically be purged by the system.");
      }
      return meta.path("finalizers").isEmpty() ? null : obj;
    }
    Long podGrace = podGracePeriod(type, obj, opts);
    if (podGrace != null && podGrace > 0) {
      long current = meta.path("deletionGracePeriodSeconds").asLong(Long.MAX_VALUE);
      if (!meta.hasNonNull("deletionTimestamp") || podGrace < current) {
        meta.put("deletionTimestamp", ObjectMetaRules.timestamp(now.plusSeconds(podGrace)));
        meta.put("deletionGracePeriodSeconds", podGrace);
      }
      addPropagationFinalizer(meta, opts);
      return obj;
    }
    addPropagationFinalizer(meta, opts);
    if (meta.path("finalizers").isEmpty()) {
      return null;
    }
    if (!meta.hasNonNull("deletionTimestamp")) {
      meta.put("deletionTimestamp", ObjectMetaRules.timestamp(now));
    }
    meta.put("deletionGracePeriodSeconds", 0);
    return obj;
  }

  /** The grace period of a pod delete that waits for its node, or null when none applies. */
  private static Long podGracePeriod(ResourceType type, ObjectNode obj, Options opts) {
    if (!type.group().isEmpty() || !type.kind().equals("Pod")) {
      return null;
    }
    if (obj.path("spec").path("nodeName").asText("").isEmpty()) {
      return null;
    }
    if (opts.gracePeriodSeconds() != null) {
      return opts.gracePeriodSeconds();
    }
    return obj.path("spec").path("terminationGracePeriodSeconds").asLong(30);
  }

  private static void addPropagationFinalizer(ObjectNode meta, Options opts) {
    String f =
        switch (opts.propagationPolicy() == null ? "" : opts.propagationPolicy()) {
          case "Orphan" -> "orphan";
          case "Foreground" -> "foregroundDeletion";
          default -> null;
        };
    if (f == null) {
      return;
    }
    ArrayNode fins =
        meta.get("finalizers") instanceof ArrayNode a ? a : meta.putArray("finalizers");
    for (JsonNode x : fins) {
      if (x.asText().equals(f)) {
        return;
      }
    }
    fins.add(f);
  }
}
