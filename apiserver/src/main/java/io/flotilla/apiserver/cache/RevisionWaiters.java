package io.flotilla.apiserver.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Reads waiting for the cache to reach a revision. Thread-safe: {@link #await} runs on request
 * threads, {@link #advance} on the cache's applying thread, timeouts on the scheduler. Futures are
 * completed on the delivery executor so that a caller's continuation never runs on the store's
 * thread.
 */
final class RevisionWaiters {
  private record Waiter(long revision, CompletableFuture<Long> future) {}

  private final PriorityQueue<Waiter> waiting =
      new PriorityQueue<>((a, b) -> Long.compare(a.revision, b.revision));
  private final LongSupplier current;
  private final Duration timeout;
  private final ScheduledExecutorService scheduler;
  private final Executor completer;

  RevisionWaiters(
      LongSupplier current,
      Duration timeout,
      ScheduledExecutorService scheduler,
      Executor completer) {
    this.current = current;
    this.timeout = timeout;
    this.scheduler = scheduler;
    this.completer = completer;
  }

  CompletableFuture<Long> await(long revision) {
    long now = current.getAsLong();
    if (now >= revision) {
      return CompletableFuture.completedFuture(now);
    }
    Waiter w = new Waiter(revision, new CompletableFuture<>());
    synchronized (this) {
      waiting.add(w);
    }
    // The revision may have advanced between the first check and the add.
    advance(current.getAsLong());
    scheduler.schedule(
        () -> {
          boolean removed;
          synchronized (this) {
            removed = waiting.remove(w);
          }
          if (removed) {
            w.future.completeExceptionally(
                new TooLargeResourceVersionException(revision, current.getAsLong()));
          }
        },
        timeout.toMillis(),
        TimeUnit.MILLISECONDS);
    return w.future;
  }

  /** Completes every waiter at or below {@code revision}. */
  void advance(long revision) {
    List<Waiter> done = new ArrayList<>();
    synchronized (this) {
      while (!waiting.isEmpty() && waiting.peek().revision <= revision) {
        done.add(waiting.poll());
      }
    }
    for (Waiter w : done) {
      try {
        completer.execute(() -> w.future.complete(revision));
      } catch (RuntimeException e) {
        w.future.complete(revision); // the executor is shut down: the cache is closing
      }
    }
  }

  void failAll(Throwable error) {
    List<Waiter> all;
    synchronized (this) {
      all = new ArrayList<>(waiting);
      waiting.clear();
    }
    all.forEach(w -> w.future.completeExceptionally(error));
  }
}
