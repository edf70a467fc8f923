package io.flotilla.controllers.runtime;

import java.time.Duration;
import java.time.Instant;

/**
 * An overall token bucket ({@code qps} tokens a second, at most {@code burst} saved) shared by all
 * items, as client-go's {@code BucketRateLimiter}: each call reserves a token and returns how long
 * to wait for it. Thread-safe (monitor).
 */
public final class BucketRateLimiter<T> implements RateLimiter<T> {
  private final Clock clock;
  private final double qps;
  private final double burst;
  private double tokens;
  private Instant last;

  public BucketRateLimiter(Clock clock, double qps, int burst) {
    this.clock = clock;
    this.qps = qps;
    this.burst = burst;
    this.tokens = burst;
    this.last = clock.now();
  }

  @Override
  public synchronized Duration when(T item) {
    Instant now = clock.now();
    if (now.isAfter(last)) {
      tokens = Math.min(burst, tokens + Duration.between(last, now).toNanos() / 1e9 * qps);
      last = now;
    }
    tokens -= 1;
    return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) (-tokens / qps * 1e9));
  }

  @Override
  public void forget(T item) {}

  @Override
  public int retries(T item) {
    return 0;
  }
}
