package io.flotilla.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

/**
 * The figures of one {@code bench pods} run. JSON keys (the benchmark's interface): {@code
 * running_p50_ms}, {@code running_p99_ms}, {@code running_max_ms} (create request sent → phase
 * Running seen by a watch, per pod), {@code pods} (asked for), {@code running} (reached Running),
 * {@code interval_ms} (between creates), {@code total_seconds} (first create to the last pod
 * Running, or to the deadline) and {@code runtime}.
 */
record PodsBenchReport(
    int pods, int intervalMs, int running, Histogram latency, double totalSeconds, String runtime) {
  private static final ObjectMapper JSON = new ObjectMapper();

  double millis(double percentile) {
    return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile) / 1e6;
  }

  String json() {
    ObjectNode o = JSON.createObjectNode();
    o.put("running_p50_ms", round(millis(50)));
    o.put("running_p99_ms", round(millis(99)));
    o.put("running_max_ms", round(latency.getMaxValue() / 1e6));
    o.put("pods", pods);
    o.put("running", running);
    o.put("interval_ms", intervalMs);
    o.put("total_seconds", round(totalSeconds));
    o.put("runtime", runtime);
    return o.toString();
  }

  String human() {
    return ("pods: %d busybox pods on one node (%s), created %d ms apart; %d Running in %.1f s%n"
            + "  create→Running: p50 %.0f ms  p99 %.0f ms  max %.0f ms%n")
        .formatted(
            pods,
            runtime,
            intervalMs,
            running,
            totalSeconds,
            millis(50),
            millis(99),
            latency.getMaxValue() / 1e6);
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
