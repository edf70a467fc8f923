package io.flotilla.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The figures of one API benchmark run, as a human summary or as one JSON object.
 *
 * <p>The JSON keys are part of the benchmark's interface (scripts compare runs with them): {@code
 * creates_per_sec}, {@code create_p50_ms}, {@code create_p99_ms}, {@code
 * create_p99_ms_at_1000_per_sec} (at {@code rate_per_sec}, 1,000 unless changed), {@code
 * list_10k_ms} (median) and {@code list_10k_p99_ms} (over {@code list_objects} objects, 10,000
 * unless changed), {@code watch_delay_p50_ms}, {@code watch_delay_p99_ms}, and the sizes {@code
 * clients}, {@code creates}, {@code rate_creates}, {@code lists}, {@code watchers}, {@code
 * watch_events}; then {@code watch_events_before_ack}, {@code server}, {@code auth}, {@code errors}
 * (a count) and {@code error_kinds} (count by kind).
 */
record ApiBenchReport(
    Sizes sizes,
    String server,
    String auth,
    CreateLoad.Result creates,
    CreateLoad.Result paced,
    ListLoad.Result lists,
    WatchLoad.Result watch,
    Map<String, Long> errors) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the run was asked to do. */
  record Sizes(
      int clients,
      long creates,
      double ratePerSec,
      long rateCreates,
      int listObjects,
      int lists,
      int watchers,
      int watchEvents,
      double watchRatePerSec,
      long warmupCreates) {}

  long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  String json() {
    ObjectNode o = JSON.createObjectNode();
    o.put("creates_per_sec", round(creates.perSecond(), 1));
    o.put("create_p50_ms", round(creates.percentileMillis(50), 3));
    o.put("create_p99_ms", round(creates.percentileMillis(99), 3));
    o.put("create_p99_ms_at_1000_per_sec", round(paced.percentileMillis(99), 3));
    o.put("list_10k_ms", round(lists.percentileMillis(50), 3));
    o.put("list_10k_p99_ms", round(lists.percentileMillis(99), 3));
    o.put("watch_delay_p50_ms", round(watch.percentileMillis(50), 3));
    o.put("watch_delay_p99_ms", round(watch.percentileMillis(99), 3));
    o.put("clients", sizes.clients());
    o.put("creates", sizes.creates());
    o.put("rate_per_sec", sizes.ratePerSec());
    o.put("rate_creates", sizes.rateCreates());
    o.put("rate_achieved_per_sec", round(paced.perSecond(), 1));
    o.put("list_objects", sizes.listObjects());
    o.put("lists", sizes.lists());
    o.put("watchers", sizes.watchers());
    o.put("watch_events", sizes.watchEvents());
    o.put("watch_rate_per_sec", sizes.watchRatePerSec());
    o.put("warmup_creates", sizes.warmupCreates());
    o.put("watch_events_before_ack", watch.beforeAck());
    o.put("server", server);
    o.put("auth", auth);
    o.put("errors", errorCount());
    ObjectNode kinds = o.putObject("error_kinds");
    errors.forEach(kinds::put);
    return o.toString();
  }

  String human() {
    StringBuilder s = new StringBuilder();
    s.append("API server: %s; %s%n".formatted(server, auth));
    s.append(
        "creates (%d clients, %d ConfigMaps, HTTP/2):  %.1f/s  p50 %.3f ms  p99 %.3f ms%n"
            .formatted(
                sizes.clients(),
                sizes.creates(),
                creates.perSecond(),
                creates.percentileMillis(50),
                creates.percentileMillis(99)));
    s.append(
        "creates at a fixed %.0f/s (%d ConfigMaps):       p50 %.3f ms  p99 %.3f ms  (achieved %.1f/s)%n"
            .formatted(
                sizes.ratePerSec(),
                sizes.rateCreates(),
                paced.percentileMillis(50),
                paced.percentileMillis(99),
                paced.perSecond()));
    s.append(
        "list of %d ConfigMaps (%d lists):             median %.3f ms  p99 %.3f ms%n"
            .formatted(
                sizes.listObjects(),
                sizes.lists(),
                lists.percentileMillis(50),
                lists.percentileMillis(99)));
    s.append(
        "watch delay (%d watchers, %d events at %.0f/s):  p50 %.3f ms  p99 %.3f ms"
                .formatted(
                    sizes.watchers(),
                    sizes.watchEvents(),
                    sizes.watchRatePerSec(),
                    watch.percentileMillis(50),
                    watch.percentileMillis(99))
            + "  (%d of %d events arrived before the create's answer)%n"
                .formatted(watch.beforeAck(), watch.delivered()));
    s.append("errors: %d%n".formatted(errorCount()));
    errors.forEach((kind, n) -> s.append("  %8d  %s%n".formatted(n, kind)));
    return s.toString();
  }

  private static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
