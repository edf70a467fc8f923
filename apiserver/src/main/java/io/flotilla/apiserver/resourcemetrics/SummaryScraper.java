package io.flotilla.apiserver.resourcemetrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.ResourceType;
import io.flotilla.apiserver.kubelet.KubeletClient;
import io.flotilla.apiserver.kubelet.KubeletEndpoint;
import io.flotilla.apiserver.registry.ListWatchSource;
import io.flotilla.apiserver.registry.ObjectCodec;
import io.flotilla.apiserver.rest.RestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches {@code /stats/summary} from the kubelet of every Ready node, in parallel and each within
 * a short timeout, and keeps the result for one resolution (10 s, as metrics-server scrapes). Nodes
 * whose kubelet does not answer in time are left out of that round.
 *
 * <p>Threading: thread-safe; at most one round runs at a time and concurrent callers share it.
 */
final class SummaryScraper {
  private static final Logger LOG = LoggerFactory.getLogger(SummaryScraper.class);

  private final KubeletClient client;
  private final RestContext ctx;
  private final ResourceType nodes;
  private final Duration resolution;
  private final Duration timeout;
  private final Map<String, Summaries.Usage> previous = new ConcurrentHashMap<>();
  private CompletableFuture<Map<String, Summaries.NodeSummary>> round;
  private Instant roundStarted;

  SummaryScraper(KubeletClient client, RestContext ctx, Duration resolution, Duration timeout) {
    this.client = client;
    this.ctx = ctx;
    this.nodes =
        ctx.registry()
            .byResource("", "v1", "nodes")
            .orElseThrow(() -> new IllegalStateException("the registry lacks nodes"));
    this.resolution = resolution;
    this.timeout = timeout;
  }

  /** The latest round's summaries by node name, starting a round when the last one is stale. */
  synchronized CompletableFuture<Map<String, Summaries.NodeSummary>> latest() {
    Instant now = ctx.clock().instant();
    if (round == null
        || (round.isDone() && !now.isBefore(roundStarted.plus(resolution)))
        || round.isCompletedExceptionally()) {
      roundStarted = now;
      round = scrape(now);
    }
    return round;
  }

  private CompletableFuture<Map<String, Summaries.NodeSummary>> scrape(Instant now) {
    return ctx.source()
        .list(ObjectCodec.prefix(nodes, ""), 0, null, 0, SummaryScraper::ready)
        .thenCompose(
            page -> {
              List<CompletableFuture<Summaries.NodeSummary>> calls = new ArrayList<>();
              for (ListWatchSource.Item item : page.items()) {
                calls.add(fetch(item.object(), now));
              }
              return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                  .thenApply(
                      v -> {
                        Map<String, Summaries.NodeSummary> out = new LinkedHashMap<>();
                        for (CompletableFuture<Summaries.NodeSummary> c : calls) {
                          Summaries.NodeSummary s = c.join();
                          if (s != null) {
                            out.put(s.node(), s);
                          }
                        }
                        return out;
                      });
            });
  }

  private CompletableFuture<Summaries.NodeSummary> fetch(JsonNode node, Instant now) {
    String name = node.path("metadata").path("name").asText();
    KubeletEndpoint e;
    try {
      e = KubeletEndpoint.of(node, client.addressTypes());
    } catch (RuntimeException ex) {
      return CompletableFuture.completedFuture(null);
    }
    return client
        .get(e, "/stats/summary", timeout)
        .thenApply(
            r -> {
              if (r.code() != 200) {
                LOG.debug("node {}: /stats/summary answered {}", name, r.code());
                return null;
              }
              try {
                JsonNode summary = ObjectCodec.MAPPER.readTree(r.body());
                return Summaries.parse(name, summary, now, previous);
              } catch (java.io.IOException ex) {
                LOG.debug("node {}: unreadable summary", name, ex);
                return null;
              }
            })
        .exceptionally(
            ex -> {
              LOG.debug("node {}: no summary: {}", name, ex.toString());
              return null;
            });
  }

  static boolean ready(JsonNode node) {
    for (JsonNode c : node.path("status").path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        return "True".equals(c.path("status").asText());
      }
    }
    return false;
  }
}
