package io.flotilla.node.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns cumulative CPU time into a rate (nanocores: core-nanoseconds per second), from the previous
 * sample of the same key, as cadvisor does between housekeeping runs. A first sample, a clock that
 * did not move or a counter that went backwards (a process left the tree) gives no rate.
 *
 * <p>Threading: not thread-safe; used by the sampler thread only.
 */
final class CpuRates {
  private record Point(long cpuNanos, Instant at) {}

  private final Map<String, Point> previous = new HashMap<>();

  /** Records {@code cpuNanos} for {@code key} at {@code at}; returns the rate since the last. */
  OptionalLong update(String key, long cpuNanos, Instant at) {
    Point last = previous.put(key, new Point(cpuNanos, at));
    if (last == null) {
      return OptionalLong.empty();
    }
    long elapsed = Duration.between(last.at(), at).toNanos();
    long used = cpuNanos - last.cpuNanos();
    if (elapsed <= 0 || used < 0) {
      return OptionalLong.empty();
    }
    return OptionalLong.of((long) ((double) used * 1_000_000_000L / elapsed));
  }

  /** Forgets keys not seen in the latest sample (containers that went away). */
  void retain(Set<String> keys) {
    previous.keySet().retainAll(keys);
  }
}
