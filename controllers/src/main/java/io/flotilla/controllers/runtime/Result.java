package io.flotilla.controllers.runtime;

import java.time.Duration;

/**
 * What a {@link Reconciler} asks of its queue: nothing more ({@link #done()}), another try with
 * rate-limited backoff ({@link #requeue()}), or another look after a delay ({@link
 * #requeueAfter(Duration)}, which also clears the backoff).
 */
public record Result(boolean retry, Duration after) {
  private static final Result DONE = new Result(false, Duration.ZERO);
  private static final Result REQUEUE = new Result(true, Duration.ZERO);

  public static Result done() {
    return DONE;
  }

  public static Result requeue() {
    return REQUEUE;
  }

  public static Result requeueAfter(Duration after) {
    return new Result(true, after);
  }
}
