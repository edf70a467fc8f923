package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.ResourceType;
import io.flotilla.api.selector.LabelSelector;
import io.flotilla.apiserver.rest.UpdateHandler.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The scale subresource: an autoscaling/v1 Scale view of a workload's spec.replicas,
 * status.replicas and selector, or of a custom resource's scale paths ({@link ScalePaths}). GET,
 * PUT and PATCH; writes change only the desired replicas.
 */
public final class ScaleHandler {
  private final RestContext ctx;
  private final UpdateHandler updates;

  public ScaleHandler(RestContext ctx, UpdateHandler updates) {
    this.ctx = ctx;
    this.updates = updates;
  }

  public CompletableFuture<Reply> get(ApiRequest req) {
    ResourceType type = req.type();
    String ns = type.namespaced() ? req.namespace() : "";
    return ctx.read(type, ns, req.name())
        .thenApply(
            s -> {
              if (s == null) {
                throw StatusException.notFound(type, req.name());
              }
              return Replies.of(200, scale(type, s.object()), req, null);
            });
  }

  public CompletableFuture<Reply> put(ApiRequest req) {
    ObjectNode body = BodyDecoder.decodeObject(req);
    return write(req, cur -> body);
  }

  public CompletableFuture<Reply> patch(ApiRequest req) {
    String mediaType = BodyDecoder.mediaType(req);
    JsonNode patch = BodyDecoder.decode(req, mediaType);
    return write(
        req,
        cur -> {
          ObjectNode s = scale(req.type(), cur);
          if (!patch.path("metadata").hasNonNull("resourceVersion")) {
            s.with("metadata").remove("resourceVersion");
          }
          JsonNode r =
              // A Scale has no lists to merge by key: strategic merge is a plain merge here.
              Patches.apply(mediaType, null, s, patch);
          return (ObjectNode) r;
        });
  }

  private CompletableFuture<Reply> write(
      ApiRequest req, java.util.function.UnaryOperator<ObjectNode> newScale) {
    return updates
        .update(
            req,
            cur -> {
              ObjectNode s = newScale.apply(cur);
              JsonNode replicas = s.path("spec").path("replicas");
              if (!replicas.isMissingNode() && !replicas.canConvertToInt()) {
                throw StatusException.badRequest("spec.replicas must be an integer");
              }
              if (replicas.asInt(0) < 0) {
                throw new StatusException(
                    422,
                    "Invalid",
                    "Scale.autoscaling \""
                        + req.name()
                        + "\" is invalid: spec.replicas: Invalid value: "
                        + replicas.asInt()
                        + ": must be greater than or equal to 0",
                    null);
              }
              ObjectNode out = cur.deepCopy();
              ScalePaths.set(out, ScalePaths.of(req.type()).spec(), replicas.asInt(0));
              String rv = s.path("metadata").path("resourceVersion").asText("");
              ObjectMetaRules.meta(out).put("resourceVersion", rv);
              return out;
            },
            Mode.ANY,
            null)
        .thenApply(o -> Replies.of(200, scale(req.type(), o.object()), req, null));
  }

  static ObjectNode scale(ResourceType type, ObjectNode obj) {
    ScalePaths paths = ScalePaths.of(type);
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("kind", "Scale").put("apiVersion", "autoscaling/v1");
    ObjectNode meta = s.putObject("metadata");
    JsonNode m = obj.path("metadata");
    for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
      if (m.has(f)) {
        meta.set(f, m.get(f).deepCopy());
      }
    }
    s.putObject("spec")
        .put("replicas", ScalePaths.get(obj, paths.spec()).asInt(paths.defaultReplicas()));
    ObjectNode status = s.putObject("status");
    status.put("replicas", ScalePaths.get(obj, paths.status()).asInt(0));
    String selector =
        paths.custom()
            ? paths.selector().map(p -> ScalePaths.get(obj, p).asText("")).orElse("")
            : selector(obj.path("spec").path("selector"));
    if (!selector.isEmpty()) {
      status.put("selector", selector);
    }
    return s;
  }

  private static String selector(JsonNode sel) {
    if (sel.isMissingNode() || sel.isNull()) {
      return "";
    }
    if (sel.has("matchLabels") || sel.has("matchExpressions")) {
      return LabelSelector.fromJson(sel).toString();
    }
    List<String> parts = new ArrayList<>();
    sel.properties().forEach(e -> parts.add(e.getKey() + "=" + e.getValue().asText()));
    parts.sort(null);
    return String.join(",", parts);
  }
}
