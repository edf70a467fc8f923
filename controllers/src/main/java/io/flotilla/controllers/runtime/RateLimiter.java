package io.flotilla.controllers.runtime;

import java.time.Duration;

/**
 * How long an item waits before it is retried, as client-go's {@code workqueue.RateLimiter}.
 * Implementations are thread-safe.
 */
public interface RateLimiter<T> {
  /** The delay before {@code item} may be processed again; each call counts one more failure. */
  Duration when(T item);

  /** Forgets {@code item}'s failures (called after a successful reconcile). */
  void forget(T item);

  /** How many times {@code item} was requeued since it was last forgotten. */
  int retries(T item);
}
