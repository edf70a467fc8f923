package io.flotilla.apiserver.resourcemetrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.KindBehavior;
import io.flotilla.api.ResourceType;
import io.flotilla.apiserver.kubelet.KubeletClient;
import io.flotilla.apiserver.registry.ListWatchSource;
import io.flotilla.apiserver.registry.ObjectCodec;
import io.flotilla.apiserver.rest.ApiRequest;
import io.flotilla.apiserver.rest.Negotiation;
import io.flotilla.apiserver.rest.ObjectMetaRules;
import io.flotilla.apiserver.rest.Replies;
import io.flotilla.apiserver.rest.Reply;
import io.flotilla.apiserver.rest.RestContext;
import io.flotilla.apiserver.rest.Selection;
import io.flotilla.apiserver.rest.StatusException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Serves {@code metrics.k8s.io/v1beta1} — NodeMetrics and PodMetrics, get and list, with label and
 * field selectors — from the kubelets' Summary API, as metrics-server does behind kube-apiserver's
 * aggregation layer. Objects are built from the Node and Pod objects the store holds (names,
 * labels) and the latest scrape (usage); a node or pod without a sample is not listed and is 404 on
 * get.
 *
 * <p>Threading: thread-safe; never blocks (scrapes are asynchronous and shared).
 */
public final class ResourceMetricsHandler {
  public static final String GROUP = "metrics.k8s.io";
  public static final String VERSION = "v1beta1";
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final List<String> VERBS = List.of("get", "list");

  /** NodeMetrics, as discovery lists it. */
  public static final ResourceType NODES = type("NodeMetrics", "nodes", false);

  /** PodMetrics, as discovery lists it. */
  public static final ResourceType PODS = type("PodMetrics", "pods", true);

  private final KubeletClient client;
  private final RestContext ctx;
  private final SummaryScraper scraper;
  private final ResourceType nodeType;
  private final ResourceType podType;

  /** Scrapes at most once per 10 s, giving each kubelet 5 s to answer. */
  public ResourceMetricsHandler(KubeletClient client, RestContext ctx) {
    this(client, ctx, Duration.ofSeconds(10), Duration.ofSeconds(5));
  }

  public ResourceMetricsHandler(
      KubeletClient client, RestContext ctx, Duration resolution, Duration timeout) {
    this.client = client;
    this.ctx = ctx;
    this.scraper = new SummaryScraper(client, ctx, resolution, timeout);
    this.nodeType = ctx.registry().byResource("", "v1", "nodes").orElseThrow();
    this.podType = ctx.registry().byResource("", "v1", "pods").orElseThrow();
  }

  /** The kubelet client this handler (and the pod stream handlers) use. */
  public KubeletClient client() {
    return client;
  }

  private static ResourceType type(String kind, String plural, boolean namespaced) {
    return new ResourceType(
        GROUP,
        VERSION,
        kind,
        plural,
        "",
        namespaced,
        List.of(),
        List.of(),
        VERBS,
        Set.of(),
        GROUP + "/" + plural,
        new KindBehavior() {});
  }

  public CompletableFuture<Reply> handle(ApiRequest req) {
    var info = req.info();
    ResourceType type =
        switch (info.resource()) {
          case "nodes" -> NODES;
          case "pods" -> PODS;
          default -> throw StatusException.notFoundPath();
        };
    if (!info.version().equals(VERSION)
        || !info.subresource().isEmpty()
        || (type == NODES && info.namespaceGiven())) {
      throw StatusException.notFoundPath();
    }
    if (!VERBS.contains(info.verb())) {
      throw StatusException.methodNotAllowed(info.verb(), type);
    }
    ResourceType source = type == NODES ? nodeType : podType;
    Selection sel = Selection.of(req.withType(source));
    String prefix = ObjectCodec.prefix(source, info.namespace());
    Negotiation n = Negotiation.of(req.headers().get("Accept"));
    Instant now = ctx.clock().instant();
    return scraper
        .latest()
        .thenCompose(
            samples ->
                ctx.source()
                    .list(prefix, 0, null, 0, sel)
                    .thenApply(
                        page -> {
                          ArrayNode items = F.arrayNode();
                          for (ListWatchSource.Item item : page.items()) {
                            JsonNode o = item.object();
                            ObjectNode m =
                                type == NODES
                                    ? nodeMetrics(o, samples, now)
                                    : podMetrics(o, samples, now);
                            if (m != null
                                && (info.verb().equals("list")
                                    || o.path("metadata")
                                        .path("name")
                                        .asText()
                                        .equals(info.name()))) {
                              items.add(m);
                            }
                          }
                          if (info.verb().equals("get")) {
                            if (items.isEmpty()) {
                              throw StatusException.notFound(type, info.name());
                            }
                            return Replies.of(200, items.get(0), req, n);
                          }
                          ObjectNode list = F.objectNode();
                          list.put("kind", type.listKind())
                              .put("apiVersion", GROUP + "/" + VERSION);
                          list.putObject("metadata");
                          list.set("items", items);
                          return Replies.of(200, list, req, n);
                        }));
  }

  private static ObjectNode base(ResourceType type, JsonNode source, Instant now) {
    ObjectNode o = F.objectNode();
    o.put("kind", type.kind()).put("apiVersion", GROUP + "/" + VERSION);
    ObjectNode meta = o.putObject("metadata");
    JsonNode srcMeta = source.path("metadata");
    meta.put("name", srcMeta.path("name").asText());
    if (srcMeta.has("namespace")) {
      meta.put("namespace", srcMeta.path("namespace").asText());
    }
    meta.put("creationTimestamp", ObjectMetaRules.timestamp(now));
    if (srcMeta.has("labels")) {
      meta.set("labels", srcMeta.get("labels").deepCopy());
    }
    return o;
  }

  private static ObjectNode nodeMetrics(
      JsonNode node, Map<String, Summaries.NodeSummary> samples, Instant now) {
    Summaries.NodeSummary s = samples.get(node.path("metadata").path("name").asText());
    if (s == null || s.usage() == null) {
      return null;
    }
    ObjectNode o = base(NODES, node, now);
    o.put("timestamp", ObjectMetaRules.timestamp(s.usage().time()));
    o.put("window", Summaries.window(s.usage().window()));
    usage(o.putObject("usage"), s.usage());
    return o;
  }

  private static ObjectNode podMetrics(
      JsonNode pod, Map<String, Summaries.NodeSummary> samples, Instant now) {
    String node = pod.path("spec").path("nodeName").asText("");
    Summaries.NodeSummary s = samples.get(node);
    if (s == null) {
      return null;
    }
    String ns = pod.path("metadata").path("namespace").asText();
    String name = pod.path("metadata").path("name").asText();
    for (Summaries.PodUsage p : s.pods()) {
      if (p.namespace().equals(ns) && p.name().equals(name)) {
        ObjectNode o = base(PODS, pod, now);
        o.put("timestamp", ObjectMetaRules.timestamp(p.time()));
        o.put("window", Summaries.window(p.containers().getFirst().usage().window()));
        ArrayNode containers = o.putArray("containers");
        for (Summaries.ContainerUsage c : p.containers()) {
          ObjectNode co = containers.addObject().put("name", c.name());
          usage(co.putObject("usage"), c.usage());
        }
        return o;
      }
    }
    return null;
  }

  private static void usage(ObjectNode out, Summaries.Usage u) {
    out.put("cpu", Summaries.cpu(u.nanoCores()));
    out.put("memory", Summaries.memory(u.memoryBytes()));
  }
}
