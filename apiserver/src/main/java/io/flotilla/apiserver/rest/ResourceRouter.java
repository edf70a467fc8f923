package io.flotilla.apiserver.rest;

import io.flotilla.api.ResourceType;
import io.flotilla.apiserver.kubelet.KubeletEndpoint;
import io.flotilla.apiserver.kubelet.PodLogHandler;
import io.flotilla.apiserver.kubelet.PodStreamHandler;
import io.flotilla.apiserver.resourcemetrics.ResourceMetricsHandler;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Routes a resource request to the handler for its verb and subresource, after checking that the
 * resource exists and serves the verb. Handlers never block: each answers with a future (or a watch
 * stream).
 */
public final class ResourceRouter {
  private final RestContext ctx;
  private final ReadHandler reads;
  private final CreateHandler creates;
  private final UpdateHandler updates;
  private final PatchHandler patches;
  private final DeleteHandler deletes;
  private final WatchHandler watches;
  private final ScaleHandler scales;
  private final BindingHandler bindings;
  private final ReviewHandler reviews = new ReviewHandler();
  private final EvictionHandler evictions;
  private final PodLogHandler logs;
  private final PodStreamHandler streams;
  private final ResourceMetricsHandler resourceMetrics;

  /**
   * A router without kubelet access: pod logs, exec, attach and port-forward answer 503;
   * metrics.k8s.io is 404.
   */
  public ResourceRouter(RestContext ctx) {
    this(ctx, null);
  }

  /**
   * A router whose pod logs, exec, attach and port-forward go to kubelets, and which serves
   * metrics.k8s.io from their stats; {@code kubelets} null when there are none to reach.
   */
  public ResourceRouter(RestContext ctx, ResourceMetricsHandler kubelets) {
    List<String> addressTypes =
        kubelets == null ? KubeletEndpoint.DEFAULT_ADDRESS_TYPES : kubelets.client().addressTypes();
    this.logs = new PodLogHandler(ctx, addressTypes);
    this.streams = new PodStreamHandler(ctx, addressTypes);
    this.resourceMetrics = kubelets;
    this.ctx = ctx;
    this.reads = new ReadHandler(ctx);
    this.creates = new CreateHandler(ctx);
    this.updates = new UpdateHandler(ctx, creates);
    this.patches = new PatchHandler(ctx, updates);
    this.deletes = new DeleteHandler(ctx, reads);
    this.evictions = new EvictionHandler(ctx, deletes);
    this.watches = new WatchHandler(ctx);
    this.scales = new ScaleHandler(ctx, updates);
    this.bindings = new BindingHandler(ctx);
  }

  /** Whether a request is a watch (long-running: not counted against the in-flight bound). */
  public static boolean isWatch(ApiRequest req) {
    return req.info() != null && req.info().verb().equals("watch");
  }

  /**
   * Whether a request is a pod log, exec, attach or port-forward call: long-running, like a watch,
   * so not counted against the in-flight bound (upstream treats them alike).
   */
  public static boolean isPodStream(ApiRequest req) {
    RequestInfo i = req.info();
    return i != null
        && i.group().isEmpty()
        && i.resource().equals("pods")
        && POD_STREAMS.contains(i.subresource());
  }

  private static final java.util.Set<String> POD_STREAMS =
      java.util.Set.of("log", "exec", "attach", "portforward");

  public CompletableFuture<Reply> route(ApiRequest req) {
    RequestInfo info = req.info();
    if (info.group().isEmpty()
        && info.resource().equals("bindings")
        && info.verb().equals("create")) {
      return bindings.handle(req);
    }
    if (info.group().equals(ResourceMetricsHandler.GROUP)) {
      if (resourceMetrics == null) {
        // Not in discovery either: as upstream without metrics-server.
        throw StatusException.notFoundPath();
      }
      return resourceMetrics.handle(req);
    }
    ResourceType type =
        ctx.registry()
            .byResource(info.group(), info.version(), info.resource())
            .orElseThrow(StatusException::notFoundPath);
    ApiRequest r = req.withType(type);
    // Without a namespace, a namespaced resource can only be listed, watched or collection-deleted.
    if (type.namespaced()
        && !info.namespaceGiven()
        && !List.of("list", "watch", "deletecollection").contains(info.verb())) {
      throw StatusException.notFoundPath();
    }
    if (!type.namespaced() && info.namespaceGiven()) {
      throw StatusException.notFoundPath();
    }
    Negotiation n = Negotiation.of(req.headers().get("Accept"));
    if (ReviewHandler.handles(info)) {
      return reviews.handle(r, n);
    }
    String sub = info.subresource();
    if (!sub.isEmpty()) {
      return subresource(r, n, type, sub);
    }
    String verb = info.verb();
    if (!type.verbs().contains(verb)) {
      throw StatusException.methodNotAllowed(verb, type);
    }
    return switch (verb) {
      case "get" -> reads.get(r, n);
      case "list" -> reads.list(r, n);
      case "watch" -> CompletableFuture.completedFuture(watches.handle(r, n));
      case "create" -> creates.handle(r, n);
      case "update" -> updates.put(r, n);
      case "patch" -> patches.handle(r, n);
      case "delete" -> deletes.delete(r, n);
      case "deletecollection" -> deletes.deleteCollection(r, n);
      default -> throw StatusException.methodNotAllowed(verb, type);
    };
  }

  private CompletableFuture<Reply> subresource(
      ApiRequest r, Negotiation n, ResourceType type, String sub) {
    if (!type.hasSubresource(sub)) {
      throw StatusException.notFoundPath();
    }
    String verb = r.info().verb();
    return switch (sub + ":" + verb) {
      case "status:get" -> reads.get(r, n);
      case "status:update", "finalize:update" -> updates.put(r, n);
      case "status:patch" -> patches.handle(r, n);
      case "scale:get" -> scales.get(r);
      case "scale:update" -> scales.put(r);
      case "scale:patch" -> scales.patch(r);
      case "binding:create" -> bindings.handle(r);
      case "eviction:create" -> evictions.handle(r, n);
      case "log:get" -> kubelets(() -> logs.handle(r));
      case "exec:get",
          "exec:create",
          "attach:get",
          "attach:create",
          "portforward:get",
          "portforward:create" ->
          kubelets(() -> streams.handle(r));
      default -> throw StatusException.methodNotAllowed(verb, type);
    };
  }

  private CompletableFuture<Reply> kubelets(
      java.util.function.Supplier<CompletableFuture<Reply>> call) {
    if (resourceMetrics == null) {
      throw noKubelets();
    }
    return call.get();
  }

  private static StatusException noKubelets() {
    return new StatusException(
        503,
        "ServiceUnavailable",
        "this apiserver has no kubelet client: start it with a cluster PKI"
            + " (ApiServer.Builder.kubeletClient) to reach node agents",
        null);
  }
}
