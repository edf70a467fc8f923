package io.flotilla.controllers.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final WorkQueue<String> queue = new WorkQueue<>(clock);

  @Test
  void holdsAQueuedKeyOnceHoweverOftenItIsAdded() throws Exception {
    queue.add("a");
    queue.add("a");
    queue.add("b");
    assertThat(queue.length()).isEqualTo(2);
    assertThat(queue.get(Duration.ZERO)).isEqualTo("a");
    assertThat(queue.get(Duration.ZERO)).isEqualTo("b");
    assertThat(queue.get(Duration.ZERO)).isNull();
  }

  @Test
  void neverHandsAKeyBeingProcessedToASecondWorkerButRequeuesItWhenDone() throws Exception {
    queue.add("a");
    String taken = queue.get(Duration.ZERO);
    queue.add("a");
    assertThat(queue.get(Duration.ZERO)).as("a is still being processed").isNull();
    queue.done(taken);
    assertThat(queue.get(Duration.ZERO)).isEqualTo("a");
  }

  @Test
  void addAfterQueuesTheKeyOnlyWhenTheClockReachesTheDelay() throws Exception {
    queue.addAfter("a", Duration.ofSeconds(10));
    queue.addAfter("a", Duration.ofSeconds(3));
    clock.advance(Duration.ofSeconds(2));
    assertThat(queue.length()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(queue.get(Duration.ZERO)).isEqualTo("a");
    queue.done("a");
    clock.advance(Duration.ofSeconds(10));
    assertThat(queue.length()).as("the later delay was superseded").isZero();
  }

  @Test
  void rateLimitedRequeuesBackOffExponentiallyPerKeyUntilForgotten() throws Exception {
    queue.addRateLimited("a"); // 5 ms
    queue.addRateLimited("a"); // 10 ms, superseded by the earlier one
    assertThat(queue.retries("a")).isEqualTo(2);
    clock.advance(Duration.ofMillis(5));
    assertThat(queue.get(Duration.ZERO)).isEqualTo("a");
    queue.done("a");
    queue.addRateLimited("a"); // 20 ms
    clock.advance(Duration.ofMillis(19));
    assertThat(queue.length()).isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(queue.length()).isEqualTo(1);
    queue.forget("a");
    assertThat(queue.retries("a")).isZero();
  }

  @Test
  void shutDownWakesWaitingWorkersWithNothing() throws Exception {
    queue.shutDown();
    assertThat(queue.get(Duration.ofMinutes(1))).isNull();
    queue.add("a");
    assertThat(queue.length()).isZero();
  }
}
