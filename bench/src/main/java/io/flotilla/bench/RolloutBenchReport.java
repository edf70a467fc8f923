package io.flotilla.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The figures of one rollout benchmark run. JSON keys (the benchmark's interface): {@code
 * rollout_seconds} (image change to rollout complete), {@code writes_per_pod} (API writes from the
 * image change until the old pods are gone, leases and nodes left out, per replaced replica),
 * {@code peak_rss_mb}; then {@code nodes}, {@code replicas}, {@code completed}, {@code writes}
 * (that numerator), {@code writes_by_resource} (every resource, leases and nodes included), and
 * from a pod watch during the update {@code max_active_pods} (most pods at once that were neither
 * terminating nor finished; the 25% surge allows replicas + ceil(replicas/4)) and {@code
 * min_ready_pods} (fewest of those Ready; 25% unavailable allows replicas - floor(replicas/4)).
 */
record RolloutBenchReport(
    int nodes,
    int replicas,
    boolean completed,
    double rolloutSeconds,
    long writes,
    Map<String, Long> writesByResource,
    int maxActivePods,
    int minReadyPods,
    double peakRssMb) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static RolloutBenchReport incomplete(int nodes, int replicas, double peakRssMb) {
    return new RolloutBenchReport(nodes, replicas, false, 0, 0, Map.of(), 0, 0, peakRssMb);
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
    o.put("max_active_pods", maxActivePods);
    o.put("min_ready_pods", minReadyPods);
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
    s.append(
        "  pods seen by a watch: at most %d not terminating (upstream bound %d), at least %d ready"
                .formatted(maxActivePods, replicas + (replicas + 3) / 4, minReadyPods)
            + " (bound %d)%n".formatted(replicas - replicas / 4));
    s.append("  peak RSS: %.0f MB%n".formatted(peakRssMb));
    return s.toString();
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
