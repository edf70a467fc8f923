package io.flotilla.bench;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Failed requests and missed events, counted by what went wrong ("create: HTTP 409 Conflict"), so
 * that a run reports each kind once with its count instead of stopping at the first.
 *
 * <p>Threading: thread-safe.
 */
final class Failures {
  private static final int MAX_KINDS = 50;

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
  private final LongAdder total = new LongAdder();

  void record(String what) {
    record(what, 1);
  }

  void record(String what, long times) {
    total.add(times);
    // A bounded number of kinds: an error message with a varying part must not grow the map.
    String key = counts.size() >= MAX_KINDS && !counts.containsKey(what) ? "other" : what;
    counts.computeIfAbsent(key, k -> new LongAdder()).add(times);
  }

  /** Records an unexpected answer, with the status reason the body gives, if any. */
  void record(String operation, HttpResponse<?> r) {
    record("%s: HTTP %d%s".formatted(operation, r.statusCode(), reason(r.body())));
  }

  /** Records a request that got no answer. */
  void record(String operation, Throwable error) {
    Throwable e = error;
    while (e.getCause() != null
        && (e instanceof java.util.concurrent.CompletionException
            || e instanceof java.util.concurrent.ExecutionException)) {
      e = e.getCause();
    }
    record("%s: %s".formatted(operation, e.getClass().getSimpleName()));
  }

  private static String reason(Object body) {
    if (body instanceof String s) {
      int at = s.indexOf("\"reason\":\"");
      if (at >= 0) {
        int end = s.indexOf('"', at + 10);
        if (end > at) {
          return " " + s.substring(at + 10, end);
        }
      }
    }
    return "";
  }

  long total() {
    return total.sum();
  }

  /** Each kind with its count, sorted by kind. */
  Map<String, Long> byKind() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
