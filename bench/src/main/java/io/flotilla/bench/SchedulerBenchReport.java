package io.flotilla.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The figures of one scheduler benchmark run. JSON keys (the benchmark's interface): {@code
 * pods_per_sec} (first create sent to last binding observed), {@code bind_p50_ms} and {@code
 * bind_p99_ms} (create sent to binding observed by a watch, per pod), {@code peak_rss_mb}; then the
 * sizes {@code nodes}, {@code pods}, {@code clients}, {@code bound}, {@code nodes_per_sec} (node
 * registration), {@code creates_per_sec}, {@code errors} and {@code error_kinds}.
 */
record SchedulerBenchReport(
    int nodes,
    int pods,
    int clients,
    long bound,
    double nodesPerSec,
    double createsPerSec,
    double podsPerSec,
    Histogram bindNanos,
    double peakRssMb,
    Map<String, Long> errors) {

  private static final ObjectMapper JSON = new ObjectMapper();

  double bindMillis(double percentile) {
    return bindNanos.getTotalCount() == 0 ? 0 : bindNanos.getValueAtPercentile(percentile) / 1e6;
  }

  long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  String json() {
    ObjectNode o = JSON.createObjectNode();
    o.put("pods_per_sec", round(podsPerSec));
    o.put("bind_p50_ms", round(bindMillis(50)));
    o.put("bind_p99_ms", round(bindMillis(99)));
    o.put("peak_rss_mb", round(peakRssMb));
    o.put("nodes", nodes);
    o.put("pods", pods);
    o.put("clients", clients);
    o.put("bound", bound);
    o.put("nodes_per_sec", round(nodesPerSec));
    o.put("creates_per_sec", round(createsPerSec));
    o.put("errors", errorCount());
    ObjectNode kinds = o.putObject("error_kinds");
    errors.forEach(kinds::put);
    return o.toString();
  }

  String human() {
    StringBuilder s = new StringBuilder();
    s.append(
        "scheduler: %d pods on %d nodes (%d clients creating), %d bound%n"
            .formatted(pods, nodes, clients, bound));
    s.append(
        "  pods/s (first create to last bind): %.1f   creates/s: %.1f%n"
            .formatted(podsPerSec, createsPerSec));
    s.append(
        "  create→bound: p50 %.1f ms  p99 %.1f ms%n".formatted(bindMillis(50), bindMillis(99)));
    s.append(
        "  peak RSS: %.0f MB   node registration: %.1f nodes/s%n"
            .formatted(peakRssMb, nodesPerSec));
    s.append("errors: %d%n".formatted(errorCount()));
    errors.forEach((kind, n) -> s.append("  %8d  %s%n".formatted(n, kind)));
    return s.toString();
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
