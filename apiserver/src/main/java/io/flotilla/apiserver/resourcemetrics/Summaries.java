package io.flotilla.apiserver.resourcemetrics;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a kubelet Summary API document ({@code GET /stats/summary}) into usage samples, as
 * metrics-server does: CPU from {@code usageNanoCores}, or from the growth of {@code
 * usageCoreNanoSeconds} since the previous sample when the kubelet gives no rate; memory from
 * {@code workingSetBytes}. Pure functions.
 */
final class Summaries {
  /** The window reported when the kubelet's rate is used as is (metrics-server's resolution). */
  static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

  private Summaries() {}

  /** One usage figure: when it was taken, over what window, CPU nanocores, memory bytes. */
  record Usage(Instant time, Duration window, long nanoCores, long memoryBytes, long cumulative) {}

  /** A container's usage. */
  record ContainerUsage(String name, Usage usage) {}

  /** A pod's usage, per container. */
  record PodUsage(String namespace, String name, Instant time, List<ContainerUsage> containers) {}

  /** A node's usage and its pods'. */
  record NodeSummary(String node, Usage usage, List<PodUsage> pods) {}

  /**
   * Parses one summary; {@code previous} holds the last cumulative CPU readings by key ("node" or
   * "ns/pod/container") with their times, and is updated.
   */
  static NodeSummary parse(
      String nodeName, JsonNode summary, Instant now, Map<String, Usage> previous) {
    JsonNode node = summary.path("node");
    Usage nodeUsage = usage(node, now, previous, "node");
    List<PodUsage> pods = new ArrayList<>();
    for (JsonNode p : summary.path("pods")) {
      JsonNode ref = p.path("podRef");
      String ns = ref.path("namespace").asText("");
      String name = ref.path("name").asText("");
      if (ns.isEmpty() || name.isEmpty()) {
        continue;
      }
      List<ContainerUsage> containers = new ArrayList<>();
      Instant time = null;
      for (JsonNode c : p.path("containers")) {
        String cname = c.path("name").asText("");
        Usage u = usage(c, now, previous, ns + "/" + name + "/" + cname);
        if (u == null || cname.isEmpty()) {
          continue;
        }
        containers.add(new ContainerUsage(cname, u));
        time = time == null || u.time().isAfter(time) ? u.time() : time;
      }
      if (!containers.isEmpty()) {
        pods.add(new PodUsage(ns, name, time, containers));
      }
    }
    return new NodeSummary(nodeName, nodeUsage, pods);
  }

  /** A usage from a stats object with "cpu" and "memory"; null when either is missing. */
  private static Usage usage(JsonNode stats, Instant now, Map<String, Usage> previous, String key) {
    JsonNode cpu = stats.path("cpu");
    JsonNode mem = stats.path("memory");
    if (cpu.isMissingNode() || mem.isMissingNode()) {
      return null;
    }
    Instant time = time(cpu.path("time").asText(""), now);
    long cumulative = cpu.path("usageCoreNanoSeconds").asLong(-1);
    long memory =
        mem.has("workingSetBytes")
            ? mem.path("workingSetBytes").asLong()
            : mem.path("usageBytes").asLong(0);
    Duration window = DEFAULT_WINDOW;
    long nanoCores;
    if (cpu.has("usageNanoCores")) {
      nanoCores = cpu.path("usageNanoCores").asLong();
    } else {
      Usage last = previous.get(key);
      if (last == null
          || cumulative < last.cumulative()
          || !time.isAfter(last.time())
          || last.cumulative() < 0) {
        previous.put(key, new Usage(time, window, 0, memory, cumulative));
        return null;
      }
      window = Duration.between(last.time(), time);
      nanoCores = (cumulative - last.cumulative()) * 1_000_000_000L / Math.max(1, window.toNanos());
    }
    Usage u = new Usage(time, window, nanoCores, memory, cumulative);
    previous.put(key, u);
    return u;
  }

  private static Instant time(String text, Instant fallback) {
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (RuntimeException e) {
      return fallback;
    }
  }

  /** CPU as a Kubernetes quantity in nanocores, as metrics-server writes it. */
  static String cpu(long nanoCores) {
    return Math.max(0, nanoCores) + "n";
  }

  /** Memory as a Kubernetes quantity in kibibytes. */
  static String memory(long bytes) {
    return Math.max(0, bytes) / 1024 + "Ki";
  }

  /** A window as a Go duration string ("10s", "9.5s"). */
  static String window(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : (millis / 1000.0) + "s";
  }
}
