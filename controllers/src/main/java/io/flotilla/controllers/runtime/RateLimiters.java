package io.flotilla.controllers.runtime;

import java.time.Duration;
import java.util.List;

/** Rate limiters built as client-go builds them. */
public final class RateLimiters {
  private RateLimiters() {}

  /**
   * client-go's {@code DefaultControllerRateLimiter}: the longer of a per-item exponential backoff
   * (5 ms doubling up to 1000 s) and an overall token bucket (10 qps, burst 100).
   */
  public static <T> RateLimiter<T> defaultControllerRateLimiter(Clock clock) {
    return maxOf(
        List.of(
            new ExponentialFailureRateLimiter<>(Duration.ofMillis(5), Duration.ofSeconds(1000)),
            new BucketRateLimiter<>(clock, 10, 100)));
  }

  /** The longest delay any of {@code limiters} asks for; forget and retries go to all of them. */
  public static <T> RateLimiter<T> maxOf(List<RateLimiter<T>> limiters) {
    return new RateLimiter<>() {
      @Override
      public Duration when(T item) {
        Duration d = Duration.ZERO;
        for (RateLimiter<T> l : limiters) {
          Duration w = l.when(item);
          d = w.compareTo(d) > 0 ? w : d;
        }
        return d;
      }

      @Override
      public void forget(T item) {
        limiters.forEach(l -> l.forget(item));
      }

      @Override
      public int retries(T item) {
        int r = 0;
        for (RateLimiter<T> l : limiters) {
          r = Math.max(r, l.retries(item));
        }
        return r;
      }
    };
  }
}
