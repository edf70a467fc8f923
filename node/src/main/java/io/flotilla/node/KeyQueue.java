package io.flotilla.node;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A work queue of keys with client-go's guarantees: a key waiting is queued once however often it
 * is added, and one key is never handled by two workers at once (a key added while it is being
 * handled runs again afterwards). A fixed pool of workers drains it, which bounds how many API
 * writes run at once.
 *
 * <p>Threading: {@link #add} and {@link #addAfter} may be called from any thread; the handler runs
 * on one of {@code workers} threads. A handler that throws has its key retried after {@code
 * retryDelay}.
 */
final class KeyQueue implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KeyQueue.class);

  private final LinkedBlockingQueue<String> ready = new LinkedBlockingQueue<>();
  private final Set<String> dirty = ConcurrentHashMap.newKeySet();
  private final Set<String> processing = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timers;
  private final ExecutorService pool;
  private final Consumer<String> handler;
  private final Duration retryDelay;
  private volatile boolean closed;

  KeyQueue(
      String name,
      int workers,
      ScheduledExecutorService timers,
      Duration retryDelay,
      Consumer<String> handler) {
    this.timers = timers;
    this.handler = handler;
    this.retryDelay = retryDelay;
    this.pool =
        Executors.newFixedThreadPool(
            workers, Thread.ofPlatform().daemon().name(name + "-", 0).factory());
    for (int i = 0; i < workers; i++) {
      pool.execute(this::work);
    }
  }

  /** Queues {@code key} unless it is already waiting. */
  void add(String key) {
    if (closed) {
      return;
    }
    // The dirty set is the "waiting" set: a key in it is (or will be) in ready exactly once,
    // unless it is being processed, in which case done() queues it.
    synchronized (this) {
      if (!dirty.add(key)) {
        return;
      }
      if (processing.contains(key)) {
        return;
      }
    }
    ready.add(key);
  }

  /** Queues {@code key} after {@code delay}. */
  void addAfter(String key, Duration delay) {
    if (closed) {
      return;
    }
    if (delay.isZero() || delay.isNegative()) {
      add(key);
    } else {
      timers.schedule(() -> add(key), delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** Keys waiting or being handled (for figures and tests). */
  int depth() {
    return dirty.size() + processing.size();
  }

  private void work() {
    while (!closed) {
      String key;
      try {
        key = ready.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (key == null) {
        continue;
      }
      synchronized (this) {
        processing.add(key);
        dirty.remove(key);
      }
      try {
        handler.accept(key);
      } catch (RuntimeException e) {
        if (!closed) {
          LOG.warn("{}: {} (retrying in {})", key, e.toString(), retryDelay);
          addAfter(key, retryDelay);
        }
      } finally {
        boolean again;
        synchronized (this) {
          processing.remove(key);
          again = dirty.contains(key);
        }
        if (again) {
          ready.add(key);
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    pool.shutdownNow();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
