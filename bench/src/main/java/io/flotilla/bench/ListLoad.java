package io.flotilla.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Times full lists of one namespace's ConfigMaps, one at a time: from the request sent to the last
 * byte of the JSON list received. One untimed list first checks the item count and lets the watch
 * cache of ConfigMaps start (it starts on the first list or watch of a resource, once per server).
 *
 * <p>Threading: {@link #run} blocks; {@code progress} counts finished lists meanwhile.
 *
 * @param http the clients
 * @param namespace whose ConfigMaps are listed
 */
record ListLoad(ApiClients http, String namespace) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the phase measured. */
  record Result(long lists, Histogram latencyNanos) {
    double percentileMillis(double percentile) {
      return latencyNanos.getTotalCount() == 0
          ? 0
          : latencyNanos.getValueAtPercentile(percentile) / 1e6;
    }
  }

  Result run(int lists, long expectedItems, Failures failures, AtomicLong progress)
      throws InterruptedException {
    HttpRequest list = http.request(BenchConfigMaps.path(namespace)).GET().build();
    try {
      HttpResponse<byte[]> first =
          http.client(0).send(list, HttpResponse.BodyHandlers.ofByteArray());
      if (first.statusCode() != 200) {
        failures.record("list: HTTP " + first.statusCode());
      } else {
        JsonNode items = JSON.readTree(first.body()).path("items");
        if (items.size() != expectedItems) {
          failures.record(
              "list: %d items where %d were created".formatted(items.size(), expectedItems));
        }
      }
    } catch (IOException e) {
      failures.record("list", e);
    }
    Histogram latencies = CreateLoad.newHistogram();
    for (int i = 0; i < lists; i++) {
      long sent = System.nanoTime();
      try {
        // Reading the body without parsing it: the figure is the server's, not Jackson's here.
        HttpResponse<Void> r = http.client(0).send(list, HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          latencies.recordValue(System.nanoTime() - sent);
        } else {
          failures.record("list: HTTP " + r.statusCode());
        }
      } catch (IOException e) {
        failures.record("list", e);
      }
      progress.incrementAndGet();
    }
    return new Result(latencies.getTotalCount(), latencies);
  }
}
