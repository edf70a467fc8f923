package io.flotilla.controllers.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimitersTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void exponentialBackoffDoublesFromFiveMillisecondsAndCapsAtOneThousandSeconds() {
    var l =
        new ExponentialFailureRateLimiter<String>(Duration.ofMillis(5), Duration.ofSeconds(1000));
    assertThat(l.when("a")).isEqualTo(Duration.ofMillis(5));
    assertThat(l.when("a")).isEqualTo(Duration.ofMillis(10));
    assertThat(l.when("b")).as("per key").isEqualTo(Duration.ofMillis(5));
    for (int i = 0; i < 40; i++) {
      l.when("a");
    }
    assertThat(l.when("a")).isEqualTo(Duration.ofSeconds(1000));
    l.forget("a");
    assertThat(l.when("a")).isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void tokenBucketLetsABurstOfOneHundredThroughThenTenASecond() {
    RateLimiter<String> l = RateLimiters.defaultControllerRateLimiter(clock);
    for (int i = 0; i < 100; i++) {
      assertThat(l.when("k" + i)).isEqualTo(Duration.ofMillis(5));
    }
    assertThat(l.when("k100")).isEqualTo(Duration.ofMillis(100));
    assertThat(l.when("k101")).isEqualTo(Duration.ofMillis(200));
    clock.advance(Duration.ofSeconds(10));
    assertThat(l.when("k102")).isEqualTo(Duration.ofMillis(5));
  }
}
