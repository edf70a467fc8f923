package io.flotilla.controllers.job;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * How long a Job waits before it replaces failed pods, as upstream's {@code backoffRecordStore}: 10
 * s doubled for each failure since the last success, at most 10 min, counted from the last failure.
 * In memory (a restarted controller starts over, as upstream). Thread-safe (monitor).
 */
final class JobBackoff {
  static final Duration BASE = Duration.ofSeconds(10);
  static final Duration MAX = Duration.ofMinutes(10);

  private record Entry(int failures, Instant lastFailure) {}

  private final Map<String, Entry> entries = new HashMap<>();

  synchronized void failed(String key, Instant at) {
    Entry e = entries.get(key);
    int n = e == null ? 1 : e.failures + 1;
    Instant last = e == null || at.isAfter(e.lastFailure) ? at : e.lastFailure;
    entries.put(key, new Entry(n, last));
  }

  synchronized void succeeded(String key) {
    entries.remove(key);
  }

  synchronized void forget(String key) {
    entries.remove(key);
  }

  /** How long to wait before creating pods, zero when free to create. */
  synchronized Duration remaining(String key, Instant now) {
    Entry e = entries.get(key);
    if (e == null || e.failures == 0) {
      return Duration.ZERO;
    }
    Duration d = BASE;
    for (int i = 1; i < e.failures && d.compareTo(MAX) < 0; i++) {
      d = d.multipliedBy(2);
    }
    if (d.compareTo(MAX) > 0) {
      d = MAX;
    }
    return JobController.remaining(e.lastFailure.plus(d), now);
  }
}
