package io.flotilla.controllers.runtime;

import java.time.Duration;
import java.time.Instant;

/**
 * Time for controllers: the current instant and delayed tasks (requeue-after, backoff, deadlines).
 * Production uses {@link SystemClock}; tests use {@link ManualClock} and move time themselves, so
 * deadlines and schedules are tested without waiting.
 *
 * <p>Implementations are thread-safe. Scheduled tasks run on a thread of the clock's choosing and
 * must not block.
 */
public interface Clock {
  /** The current instant. */
  Instant now();

  /** A {@link java.time.Clock} view of this clock, for APIs that take one. */
  java.time.Clock javaClock();

  /**
   * Runs {@code task} once, {@code delay} from now (at once when the delay is zero or negative).
   * The returned handle cancels the task if it has not run yet.
   */
  Cancellable schedule(Duration delay, Runnable task);

  /** A handle on a scheduled task. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }
}
