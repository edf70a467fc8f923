package io.flotilla.controllers.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A rate-limited work queue with client-go's semantics: an item waiting in the queue is held once
 * however often it is added (dedup); an item being processed is never handed to a second worker —
 * adding it meanwhile marks it dirty and it is queued again when {@link #done} is called; delayed
 * adds ({@link #addAfter}, {@link #addRateLimited}) go through the injected {@link Clock}.
 *
 * <p>Thread-safe: all state is guarded by this object's monitor; {@link #get} blocks on it until an
 * item is ready or the queue is shut down.
 */
public final class WorkQueue<T> {
  /** What the queue reports to metrics; all methods are called under the queue's lock. */
  public interface Listener<T> {
    default void added(T item) {}

    default void depth(int depth) {}

    default void retried(T item) {}
  }

  private final Clock clock;
  private final RateLimiter<T> limiter;
  private final Listener<T> listener;
  private final ArrayDeque<T> queue = new ArrayDeque<>();
  private final Set<T> dirty = new HashSet<>();
  private final Set<T> processing = new HashSet<>();
  private final Map<T, Instant> waiting = new HashMap<>();
  private boolean shuttingDown;

  public WorkQueue(Clock clock, RateLimiter<T> limiter, Listener<T> listener) {
    this.clock = clock;
    this.limiter = limiter;
    this.listener = listener;
  }

  public WorkQueue(Clock clock) {
    this(clock, RateLimiters.defaultControllerRateLimiter(clock), new Listener<>() {});
  }

  /** Queues {@code item} unless it is already queued; no-op after shutdown. */
  public synchronized void add(T item) {
    if (shuttingDown || !dirty.add(item)) {
      return;
    }
    listener.added(item);
    if (processing.contains(item)) {
      return;
    }
    queue.addLast(item);
    listener.depth(queue.size());
    notify();
  }

  /** Queues {@code item} after {@code delay}; of several pending delays the earliest wins. */
  public void addAfter(T item, Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      add(item);
      return;
    }
    Instant due;
    synchronized (this) {
      if (shuttingDown) {
        return;
      }
      due = clock.now().plus(delay);
      Instant pending = waiting.get(item);
      if (pending != null && !pending.isAfter(due)) {
        return;
      }
      waiting.put(item, due);
    }
    clock.schedule(
        delay,
        () -> {
          synchronized (this) {
            if (!due.equals(waiting.get(item))) {
              return; // superseded by an earlier delay, which already queued it
            }
            waiting.remove(item);
          }
          add(item);
        });
  }

  /** Queues {@code item} after the rate limiter's delay for it (one more failure counted). */
  public void addRateLimited(T item) {
    Duration d = limiter.when(item);
    synchronized (this) {
      listener.retried(item);
    }
    addAfter(item, d);
  }

  /** Forgets {@code item}'s failures, so its next backoff starts from the base delay again. */
  public void forget(T item) {
    limiter.forget(item);
  }

  /** How many times {@code item} was requeued with backoff since it was last forgotten. */
  public int retries(T item) {
    return limiter.retries(item);
  }

  /**
   * Takes the next item, waiting up to {@code timeout}; returns null on timeout or after shutdown
   * once the queue is drained. The caller must call {@link #done} with the item when finished.
   */
  public synchronized T get(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (queue.isEmpty() && !shuttingDown) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    if (queue.isEmpty()) {
      return null;
    }
    T item = queue.pollFirst();
    processing.add(item);
    dirty.remove(item);
    listener.depth(queue.size());
    return item;
  }

  /** Marks {@code item} finished; if it was added while processing, it is queued again. */
  public synchronized void done(T item) {
    processing.remove(item);
    if (dirty.contains(item)) {
      queue.addLast(item);
      listener.depth(queue.size());
      notify();
    }
  }

  /** Items waiting to be processed (not counting delayed ones or ones being processed). */
  public synchronized int length() {
    return queue.size();
  }

  /** Stops accepting items and wakes every waiting worker. */
  public synchronized void shutDown() {
    shuttingDown = true;
    notifyAll();
  }

  public synchronized boolean isShuttingDown() {
    return shuttingDown;
  }
}
