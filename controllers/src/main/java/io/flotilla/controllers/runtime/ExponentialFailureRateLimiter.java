package io.flotilla.controllers.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-item exponential backoff: {@code base * 2^failures}, capped at {@code max}, as client-go's
 * {@code ItemExponentialFailureRateLimiter}. Thread-safe (monitor).
 */
public final class ExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  private final Duration base;
  private final Duration max;
  private final Map<T, Integer> failures = new HashMap<>();

  public ExponentialFailureRateLimiter(Duration base, Duration max) {
    this.base = base;
    this.max = max;
  }

  @Override
  public synchronized Duration when(T item) {
    int exp = failures.merge(item, 1, Integer::sum) - 1;
    if (exp >= 62) {
      return max;
    }
    double nanos = base.toNanos() * Math.pow(2, exp);
    return nanos >= max.toNanos() ? max : Duration.ofNanos((long) nanos);
  }

  @Override
  public synchronized void forget(T item) {
    failures.remove(item);
  }

  @Override
  public synchronized int retries(T item) {
    return failures.getOrDefault(item, 0);
  }
}
