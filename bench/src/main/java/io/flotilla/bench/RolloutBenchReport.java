package io.flotilla.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The figures of one rollout benchmark run. JSON keys (the benchmark's interface): {@code
 * rollout_seconds} (image change to rollout complete), {@code writes_per_pod} (API writes from the
 * image change until the old pods are gone, leases and nodes left out, per replaced replica),
 * {@code peak_rss_mb}; then {@code nodes}, {@code replicas}, {@code completed}, {@code writes}
 * (that numerator) and {@code writes_by_resource} (every resource, leases and nodes included).
 */
record RolloutBenchReport(
    int nodes,
    int replicas,
    boolean completed,
    double rolloutSeconds,
    long writes,
    Map<String, Long> writesByResource,
    double peakRssMb) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static RolloutBenchReport incomplete(int nodes, int replicas, double peakRssMb) {
    return new RolloutBenchReport(nodes, replicas, false, 0, 0, Map.of(), peakRssMb);
  }

  double writesPerPod() {
    return replicas == 0 ? 0 : (double) writes / replicas;
  }

  String json() {
    ObjectNode o = JSON.createObjectNode();
    o.put("rollout_seconds", round(rolloutSeconds));
    o.put("writes_per_pod", round(writesPerPod()));
    o.put("peak_rss_mb", round(peakRssMb));
    o.put("nodes", nodes);
    o.put("replicas", replicas);
    o.put("completed", completed);
    o.put("writes", writes);
    ObjectNode by = o.putObject("writes_by_resource");
    writesByResource.forEach(by::put);
    return o.toString();
  }

  String human() {
    StringBuilder s = new StringBuilder();
    s.append(
        "rollout: Deployment of %d replicas on %d simulated nodes, image changed: %s%n"
            .formatted(replicas, nodes, completed ? "complete" : "NOT complete"));
    s.append("  time to complete: %.1f s%n".formatted(rolloutSeconds));
    s.append(
        "  API writes per replaced pod: %.1f (%d writes, leases and nodes left out)%n"
            .formatted(writesPerPod(), writes));
    writesByResource.forEach((r, n) -> s.append("  %8d  %s%n".formatted(n, r)));
    s.append("  peak RSS: %.0f MB%n".formatted(peakRssMb));
    return s.toString();
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
