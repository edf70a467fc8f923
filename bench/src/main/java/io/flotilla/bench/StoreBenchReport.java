package io.flotilla.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The figures of one store benchmark run, as a human summary or as one JSON object.
 *
 * <p>The JSON keys are part of the benchmark's interface (scripts compare runs with them): {@code
 * value_size_bytes}, {@code writers}, {@code ops}, one object per backend with {@code
 * writes_per_sec}, {@code p50_ms}, {@code p99_ms}, {@code p999_ms}, {@code writes} and {@code
 * elapsed_seconds}, and {@code embedded_over_etcd_ratio} (throughput) when both ran. When one
 * backend ran, its figures are repeated at the top level beside {@code backend}.
 *
 * @param results by backend name, in the order they ran
 */
record StoreBenchReport(
    int valueSizeBytes, int writers, long ops, Map<String, WriteWorkload.Result> results) {

  static final String EMBEDDED = "embedded";
  static final String ETCD = "etcd";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Embedded throughput over etcd throughput, or null unless both ran. */
  Double ratio() {
    WriteWorkload.Result embedded = results.get(EMBEDDED);
    WriteWorkload.Result etcd = results.get(ETCD);
    if (embedded == null || etcd == null || etcd.writesPerSecond() == 0) {
      return null;
    }
    return embedded.writesPerSecond() / etcd.writesPerSecond();
  }

  String json() {
    ObjectNode root = JSON.createObjectNode();
    root.put("value_size_bytes", valueSizeBytes);
    root.put("writers", writers);
    root.put("ops", ops);
    results.forEach((backend, result) -> figures(root.putObject(backend), result));
    if (results.size() == 1) {
      Map.Entry<String, WriteWorkload.Result> only = results.entrySet().iterator().next();
      root.put("backend", only.getKey());
      figures(root, only.getValue());
    }
    Double ratio = ratio();
    if (ratio != null) {
      root.put("embedded_over_etcd_ratio", round(ratio, 3));
    }
    return root.toString();
  }

  private static void figures(ObjectNode node, WriteWorkload.Result r) {
    node.put("writes_per_sec", round(r.writesPerSecond(), 1));
    node.put("p50_ms", round(r.percentileMillis(50), 3));
    node.put("p99_ms", round(r.percentileMillis(99), 3));
    node.put("p999_ms", round(r.percentileMillis(99.9), 3));
    node.put("writes", r.writes());
    node.put("elapsed_seconds", round(r.elapsedNanos() / 1e9, 3));
  }

  String human() {
    StringBuilder s = new StringBuilder();
    s.append(
        "Store writes: %d create-if-absent writes of %d-byte values by %d writers%n"
            .formatted(ops, valueSizeBytes, writers));
    s.append(
        "%-10s %12s %10s %10s %10s%n"
            .formatted("backend", "writes/s", "p50 ms", "p99 ms", "p999 ms"));
    results.forEach(
        (backend, r) ->
            s.append(
                "%-10s %12.1f %10.3f %10.3f %10.3f%n"
                    .formatted(
                        backend,
                        r.writesPerSecond(),
                        r.percentileMillis(50),
                        r.percentileMillis(99),
                        r.percentileMillis(99.9))));
    Double ratio = ratio();
    if (ratio != null) {
      s.append("embedded/etcd write throughput: %.2fx%n".formatted(ratio));
    }
    return s.toString();
  }

  private static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
