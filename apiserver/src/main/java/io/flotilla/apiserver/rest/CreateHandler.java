package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.FieldError;
import io.flotilla.api.ResourceType;
import io.flotilla.apiserver.registry.ObjectCodec;
import io.flotilla.apiserver.services.ServiceSpecs;
import io.flotilla.apiserver.storage.DefaultStorageClass;
import io.flotilla.store.Txn;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * POST on a collection: fills server-owned metadata, defaults, validates, checks the namespace and
 * writes with create-if-absent. Nothing is written when any step fails or with dryRun=All.
 */
public final class CreateHandler {
  private final RestContext ctx;

  public CreateHandler(RestContext ctx) {
    this.ctx = ctx;
  }

  public CompletableFuture<Reply> handle(ApiRequest req, Negotiation n) {
    ResourceType type = req.type();
    if (!req.name().isEmpty()) {
      throw StatusException.methodNotAllowed("create", type);
    }
    ObjectNode obj = BodyDecoder.decodeObject(req);
    ObjectMetaRules.checkIdentity(type, req, obj);
    FieldValidation.apply(ctx.unknownFields(), req, type, obj);
    return create(req, obj)
        .thenApply(
            o ->
                Replies.of(
                    201, Representations.single(n, req, type, o, ctx.clock().instant()), req, n));
  }

  /** Creates an object whose identity has been checked; completes with the stored object. */
  public CompletableFuture<ObjectNode> create(ApiRequest req, ObjectNode obj) {
    ResourceType type = req.type();
    ObjectMetaRules.prepareCreate(type, obj, ctx.clock().instant());
    prepareForKind(type, obj);
    type.behavior().applyDefaults(obj);
    ApplyHandler.recordUpdate(ctx, req, null, obj);
    String name = obj.path("metadata").path("name").asText("");
    List<FieldError> errors = new ArrayList<>(ObjectMetaRules.validate(type, obj));
    errors.addAll(type.behavior().validate(obj, null));
    if (!errors.isEmpty()) {
      throw StatusException.invalid(type, name, errors);
    }
    boolean dryRun = req.dryRun();
    String ns = obj.path("metadata").path("namespace").asText("");
    return ctx.checkNamespace(type, ns, name, true)
        .thenCompose(v -> admit(type, obj))
        .thenCompose(
            v ->
                ctx.services()
                    .around(type, obj, null, dryRun, () -> write(type, ns, name, obj, dryRun)));
  }

  private CompletableFuture<ObjectNode> write(
      ResourceType type, String ns, String name, ObjectNode obj, boolean dryRun) {
    if (dryRun) {
      return CompletableFuture.completedFuture(obj);
    }
    String key = ObjectCodec.key(type, ns, name);
    return ctx.store()
        .txn(Txn.create(key, ObjectCodec.encode(obj)))
        .thenApply(
            r -> {
              if (!r.succeeded()) {
                throw StatusException.alreadyExists(type, name);
              }
              ObjectMetaRules.meta(obj).put("resourceVersion", Long.toString(r.kv().modRevision()));
              return obj;
            });
  }

  /** Mutating admission that needs stored state: the DefaultStorageClass plugin. */
  private CompletableFuture<Void> admit(ResourceType type, ObjectNode obj) {
    if (!DefaultStorageClass.applies(type)) {
      return CompletableFuture.completedFuture(null);
    }
    return new DefaultStorageClass(ctx.store(), ctx.registry()).admit(type, obj);
  }

  /** Kind-specific create rules the kind registry does not carry (yet). */
  static void prepareForKind(ResourceType type, ObjectNode obj) {
    if (ServiceSpecs.isService(type)) {
      ServiceSpecs.normalize(obj);
    }
    if (type.group().isEmpty() && type.plural().equals("namespaces")) {
      ObjectNode spec = obj.with("spec");
      if (!spec.has("finalizers")) {
        spec.putArray("finalizers").add("kubernetes");
      }
      obj.putObject("status").put("phase", "Active");
      return;
    }
    // Status is the controllers' to write: it is dropped on create for kinds that have a status
    // subresource, except nodes, which their kubelet registers with a status.
    if (type.hasSubresource("status") && !type.kind().equals("Node")) {
      obj.remove("status");
      if (type.group().isEmpty() && type.kind().equals("Pod")) {
        obj.putObject("status").put("phase", "Pending");
      }
    }
  }
}
