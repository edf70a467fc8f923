package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.ResourceType;
import io.flotilla.api.crd.CustomResourceBehavior;
import io.flotilla.apiserver.registry.ListWatchSource.Item;
import io.flotilla.apiserver.registry.ListWatchSource.Page;
import io.flotilla.apiserver.registry.ObjectCodec;
import io.flotilla.store.CompactedException;
import io.flotilla.store.FutureRevisionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * GET of one object and of a collection: selectors, limit/continue pagination at the first page's
 * revision, and resourceVersion/resourceVersionMatch.
 */
public final class ReadHandler {
  private final RestContext ctx;

  public ReadHandler(RestContext ctx) {
    this.ctx = ctx;
  }

  public CompletableFuture<Reply> get(ApiRequest req, Negotiation n) {
    ResourceType type = req.type();
    String ns = type.namespaced() ? req.namespace() : "";
    return ctx.read(type, ns, req.name())
        .thenApply(
            s -> {
              if (s == null) {
                throw StatusException.notFound(type, req.name());
              }
              ObjectNode obj = stamp(type, s.object());
              return Replies.of(
                  200, Representations.single(n, req, type, obj, ctx.clock().instant()), req, n);
            });
  }

  public CompletableFuture<Reply> list(ApiRequest req, Negotiation n) {
    ResourceType type = req.type();
    Selection sel = Selection.of(req);
    long limit = Math.max(0, req.longParam("limit", 0));
    String prefix = ObjectCodec.prefix(type, req.namespace());
    String cont = req.param("continue");
    String rv = req.param("resourceVersion");
    String match = req.param("resourceVersionMatch");
    long revision;
    String fromKey = null;
    if (cont != null && !cont.isEmpty()) {
      if (rv != null && !rv.isEmpty() && !rv.equals("0")) {
        throw StatusException.badRequest(
            "specifying resource version is not allowed when using continue");
      }
      ContinueToken t = ContinueToken.decode(cont);
      revision = t.revision();
      fromKey = prefix + t.start();
    } else {
      revision = exactRevision(rv, match, limit);
    }
    boolean continuing = fromKey != null;
    return ctx.source()
        .list(prefix, revision, fromKey, limit, sel)
        .handle(
            (page, err) -> {
              if (err != null) {
                throw mapReadError(err, continuing, revision);
              }
              ObjectNode meta = listMeta(sel, page, prefix);
              byte[] shared = sharedJson(req, n, type, page, meta);
              return shared != null
                  ? Replies.ofJson(200, shared, req)
                  : Replies.of(200, render(req, n, type, page, meta), req, n);
            });
  }

  /** Every object a deletecollection addresses (selectors applied), at the latest revision. */
  CompletableFuture<List<ObjectNode>> listAll(ApiRequest req) {
    Selection sel = Selection.of(req);
    String prefix = ObjectCodec.prefix(req.type(), req.namespace());
    return ctx.source()
        .list(prefix, 0, null, 0, sel)
        .thenApply(p -> p.items().stream().map(Item::object).toList());
  }

  /** The list written from the source's shared JSON, or null when that does not apply. */
  private static byte[] sharedJson(
      ApiRequest req, Negotiation n, ResourceType type, Page page, ObjectNode meta) {
    if (!SharedJson.applies(req, n, type)) {
      return null;
    }
    List<byte[]> items = new ArrayList<>(page.items().size());
    for (Item i : page.items()) {
      if (!SharedJson.asAddressed(type, i.shared())) {
        return null;
      }
      items.add(i.shared().json());
    }
    return SharedJson.list(type, meta, items);
  }

  private ObjectNode render(
      ApiRequest req, Negotiation n, ResourceType type, Page page, ObjectNode meta) {
    List<ObjectNode> items = new ArrayList<>();
    page.items().forEach(i -> items.add(stamp(type, i.object())));
    return Representations.list(n, req, type, items, meta, ctx.clock().instant());
  }

  private static ObjectNode listMeta(Selection sel, Page page, String prefix) {
    ObjectNode meta = JsonNodeFactory.instance.objectNode();
    meta.put("resourceVersion", Long.toString(page.revision()));
    if (page.nextKey() != null) {
      meta.put(
          "continue",
          new ContinueToken(page.revision(), page.nextKey().substring(prefix.length())).encode());
      if (sel.isEverything() && page.remainingItemCount() > 0) {
        meta.put("remainingItemCount", page.remainingItemCount());
      }
    }
    return meta;
  }

  /** The revision to read a list at: 0 (latest) unless the client asked for an exact one. */
  static long exactRevision(String rv, String match, long limit) {
    if (match != null && !match.isEmpty()) {
      if (rv == null || rv.isEmpty()) {
        throw StatusException.badRequest(
            "resourceVersionMatch is forbidden unless resourceVersion is provided");
      }
      if (!match.equals("Exact") && !match.equals("NotOlderThan")) {
        throw StatusException.badRequest(
            "resourceVersionMatch: Unsupported value: \""
                + match
                + "\": supported values: \"Exact\", \"NotOlderThan\"");
      }
    }
    if (rv == null || rv.isEmpty() || rv.equals("0")) {
      if ("Exact".equals(match)) {
        throw StatusException.badRequest(
            "resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"0\"");
      }
      return 0;
    }
    long r = parseRevision(rv);
    // A legacy paginated list with a resourceVersion reads exactly at it, as upstream does.
    return "Exact".equals(match) || (match == null && limit > 0) ? r : 0;
  }

  static long parseRevision(String rv) {
    try {
      long r = Long.parseLong(rv);
      if (r < 0) {
        throw new NumberFormatException();
      }
      return r;
    } catch (NumberFormatException e) {
      throw StatusException.badRequest("invalid resource version: \"" + rv + "\"");
    }
  }

  static RuntimeException mapReadError(Throwable err, boolean continuing, long revision) {
    Throwable cause =
        err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    if (cause instanceof CompactedException c) {
      return continuing
          ? StatusException.gone(
              "The provided continue parameter is too old to display a consistent list result. You"
                  + " can start a new list without the continue parameter, or use the continue"
                  + " token in this response to retrieve the remainder of the results. Continuing"
                  + " with the provided token results in an inconsistent list - objects that were"
                  + " created, modified, or deleted between the time the first chunk was returned"
                  + " and now may show up in the list.")
          : StatusException.gone(
              "too old resource version: " + revision + " (" + c.compactRevision() + ")");
    }
    if (cause instanceof FutureRevisionException) {
      return StatusException.timeout("Too large resource version: " + revision);
    }
    return cause instanceof RuntimeException re ? re : new CompletionException(cause);
  }

  /**
   * Sets the apiVersion and kind the request addressed on an object read from the store; a custom
   * resource is also pruned and defaulted by the current schema, as upstream does on reads.
   */
  static ObjectNode stamp(ResourceType type, ObjectNode obj) {
    if (type.behavior() instanceof CustomResourceBehavior custom) {
      custom.prune(obj);
      custom.applyDefaults(obj);
    }
    obj.put("apiVersion", type.apiVersion()).put("kind", type.kind());
    return obj;
  }
}
