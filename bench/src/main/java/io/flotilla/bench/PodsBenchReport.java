package io.flotilla.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

/**
 * The figures of one {@code bench pods} run. JSON keys (the benchmark's interface): {@code
 * running_p50_ms}, {@code running_p99_ms}, {@code running_max_ms} (create request sent → phase
 * Running seen by a watch, per pod), {@code pods} (asked for), {@code running} (reached Running),
 * {@code mode} ({@code sequence}: each pod created once the one before runs; {@code paced}: created
 * {@code interval_ms} apart), {@code interval_ms} (paced only), {@code total_seconds} (first create
 * to the last pod Running, or to the deadline), {@code pods_per_sec} (Running pods over that time)
 * and {@code runtime}.
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
    o.put("mode", intervalMs < 0 ? "sequence" : "paced");
    if (intervalMs >= 0) {
      o.put("interval_ms", intervalMs);
    }
    o.put("total_seconds", round(totalSeconds));
    o.put("pods_per_sec", round(podsPerSecond()));
    o.put("runtime", runtime);
    return o.toString();
  }

  double podsPerSecond() {
    return totalSeconds <= 0 ? 0 : running / totalSeconds;
  }

  String human() {
    return ("pods: %d busybox pods on one node (%s), %s; %d Running in %.1f s (%.1f pods/s)%n"
            + "  create→Running: p50 %.0f ms  p99 %.0f ms  max %.0f ms%n")
        .formatted(
            pods,
            runtime,
            intervalMs < 0
                ? "each created once the one before runs"
                : "created " + intervalMs + " ms apart",
            running,
            totalSeconds,
            podsPerSecond(),
            millis(50),
            millis(99),
            latency.getMaxValue() / 1e6);
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
