package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.ResourceType;
import io.flotilla.apiserver.registry.ObjectCodec;
import io.flotilla.store.Txn;
import java.util.concurrent.CompletableFuture;

/**
 * POST of a Binding (pods/binding, or the bindings resource): assigns a pod to a node once. The
 * write bypasses pod validation, which forbids spec changes, as upstream's binding storage does.
 */
public final class BindingHandler {
  private final RestContext ctx;

  public BindingHandler(RestContext ctx) {
    this.ctx = ctx;
  }

  public CompletableFuture<Reply> handle(ApiRequest req) {
    ObjectNode body = BodyDecoder.decodeObject(req);
    String name = req.name().isEmpty() ? body.path("metadata").path("name").asText("") : req.name();
    String node = body.path("target").path("name").asText("");
    ResourceType pods =
        ctx.registry().byResource("", "v1", "pods").orElseThrow(StatusException::notFoundPath);
    if (name.isEmpty()) {
      throw StatusException.badRequest("a Binding needs metadata.name, the name of the pod");
    }
    if (node.isEmpty()) {
      throw new StatusException(
          422, "Invalid", "Binding \"" + name + "\" is invalid: target.name: Required value", null);
    }
    return bind(pods, req.namespace(), name, node, 1)
        .thenApply(
            v -> {
              ObjectNode s = JsonNodeFactory.instance.objectNode();
              s.put("kind", "Status").put("apiVersion", "v1");
              s.putObject("metadata");
              s.put("status", "Success").put("code", 201);
              return Replies.of(201, s, req, null);
            });
  }

  private CompletableFuture<Void> bind(
      ResourceType pods, String ns, String name, String node, int attempt) {
    return ctx.read(pods, ns, name)
        .thenCompose(
            cur -> {
              if (cur == null) {
                throw StatusException.notFound(pods, name);
              }
              ObjectNode pod = cur.object().deepCopy();
              String bound = pod.path("spec").path("nodeName").asText("");
              if (!bound.isEmpty()) {
                throw StatusException.conflict(
                    pods, name, "pod " + name + " is already assigned to node \"" + bound + "\"");
              }
              if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
                throw StatusException.conflict(
                    pods, name, "pod " + name + " is being deleted, cannot be assigned to a host");
              }
              pod.with("spec").put("nodeName", node);
              ArrayNode conds = pod.with("status").withArray("conditions");
              for (int i = conds.size() - 1; i >= 0; i--) {
                if (conds.get(i).path("type").asText().equals("PodScheduled")) {
                  conds.remove(i);
                }
              }
              conds
                  .addObject()
                  .put("type", "PodScheduled")
                  .put("status", "True")
                  .put("lastTransitionTime", ObjectMetaRules.timestamp(ctx.clock().instant()));
              return ctx.store()
                  .txn(Txn.update(cur.key(), ObjectCodec.encode(pod), cur.revision()))
                  .thenCompose(
                      r -> {
                        if (r.succeeded()) {
                          return CompletableFuture.<Void>completedFuture(null);
                        }
                        if (attempt > 8) {
                          throw StatusException.staleUpdate(pods, name);
                        }
                        return bind(pods, ns, name, node, attempt + 1);
                      });
            });
  }
}
