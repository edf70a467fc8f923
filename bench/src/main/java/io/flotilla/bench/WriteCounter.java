package io.flotilla.bench;

import io.flotilla.apiserver.http.ApiMetrics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API writes as the apiserver itself counts them: the {@code apiserver_request_total} counter of
 * its Prometheus metrics, summed over the write verbs (CREATE, UPDATE, PATCH, DELETE,
 * DELETECOLLECTION) per resource, whatever the response code (a conflict is a write the server had
 * to handle too). Subresources count under their resource ({@code pods/status} and {@code
 * pods/binding} are {@code pods}). Reads the metrics only; safe from any thread.
 */
final class WriteCounter {
  private static final Set<String> WRITE_VERBS =
      Set.of("CREATE", "UPDATE", "PATCH", "DELETE", "DELETECOLLECTION");
  private static final Pattern SAMPLE =
      Pattern.compile("^apiserver_request_total\\{([^}]*)} ([0-9.eE+-]+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private final ApiMetrics metrics;

  WriteCounter(ApiMetrics metrics) {
    this.metrics = metrics;
  }

  /** Write requests so far, by resource. */
  Map<String, Long> byResource() {
    return parse(new String(metrics.scrape(), StandardCharsets.UTF_8));
  }

  static Map<String, Long> parse(String text) {
    Map<String, Long> out = new TreeMap<>();
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line.trim());
      if (!m.matches()) {
        continue;
      }
      Map<String, String> labels = new TreeMap<>();
      Matcher l = LABEL.matcher(m.group(1));
      while (l.find()) {
        labels.put(l.group(1), l.group(2));
      }
      if (WRITE_VERBS.contains(labels.getOrDefault("verb", ""))) {
        out.merge(
            labels.getOrDefault("resource", ""), (long) Double.parseDouble(m.group(2)), Long::sum);
      }
    }
    return out;
  }

  /** {@code after - before}, per resource, leaving out resources without writes in between. */
  static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> out = new TreeMap<>();
    after.forEach(
        (r, n) -> {
          long d = n - before.getOrDefault(r, 0L);
          if (d > 0) {
            out.put(r, d);
          }
        });
    return out;
  }
}
