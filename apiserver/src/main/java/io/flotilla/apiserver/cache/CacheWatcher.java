package io.flotilla.apiserver.cache;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Threading: {@link #offer} and {@link #offerBookmark} run on the cache's applying thread under the
 * cache lock and never block: they append to a lock-free queue and schedule at most one drain task
 * on the delivery executor. The drain task is the only caller of the sink, so sink calls never
 * overlap; selectors are evaluated there too, off the store's thread. {@link #close} may run on any
 * thread.
 *
 * <p>One watch: a bounded queue of changes fed by the cache and drained into its {@link WatchSink}.
 */
final class CacheWatcher implements CacheWatch {
  private static final Logger log = LoggerFactory.getLogger(CacheWatcher.class);

  private record Bookmark(long revision) {}

  private final String prefix;
  private final long afterRevision;
  private final Predicate<JsonNode> filter;
  private final WatchSink sink;
  private final boolean bookmarks;
  private final int capacity;
  private final Executor executor;
  private final Clock clock;
  private final Runnable deregister;

  /** Initial events (synthetic ADDED objects or replayed changes); read only by the drain task. */
  private final ArrayDeque<Object> backlog;

  private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicBoolean ending = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile Throwable endError;
  private volatile boolean bookmarkPending;
  private volatile long lastSentMillis;

  CacheWatcher(
      String prefix,
      long afterRevision,
      Predicate<JsonNode> filter,
      WatchSink sink,
      boolean bookmarks,
      Collection<?> initial,
      WatchCacheOptions options,
      Executor executor,
      Runnable deregister) {
    this.prefix = prefix;
    this.afterRevision = afterRevision;
    this.filter = filter == null ? o -> true : filter;
    this.sink = sink;
    this.bookmarks = bookmarks;
    this.capacity = options.watchQueueSize();
    this.clock = options.clock();
    this.executor = executor;
    this.deregister = deregister;
    this.backlog = new ArrayDeque<>(initial);
    this.lastSentMillis = clock.millis();
  }

  String prefix() {
    return prefix;
  }

  long afterRevision() {
    return afterRevision;
  }

  /** Starts delivering the initial events. */
  void start() {
    schedule();
  }

  /** Queues a change under this watch's prefix; ends the watch when its queue is full. */
  void offer(Change change) {
    if (ending.get()) {
      return;
    }
    if (queued.incrementAndGet() > capacity) {
      // Upstream terminates watchers that cannot keep up rather than stall every other watcher.
      log.info("ending watch on {}: consumer is more than {} events behind", prefix, capacity);
      end(null);
      return;
    }
    queue.add(change);
    schedule();
  }

  /** Whether a bookmark is due: asked for, none pending, and nothing sent for {@code interval}. */
  boolean wantsBookmark(long nowMillis, long intervalMillis) {
    return bookmarks
        && !bookmarkPending
        && !ending.get()
        && nowMillis - lastSentMillis >= intervalMillis;
  }

  /** Queues a bookmark; it follows every change already queued, so it never runs ahead. */
  void offerBookmark(long revision) {
    bookmarkPending = true;
    queue.add(new Bookmark(revision));
    schedule();
  }

  @Override
  public void close() {
    end(null);
  }

  /** Ends the watch: no more events, then {@link WatchSink#onClose} once. */
  void end(Throwable error) {
    if (!ending.compareAndSet(false, true)) {
      return;
    }
    endError = error;
    deregister.run();
    queue.clear();
    schedule();
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        executor.execute(this::drain);
      } catch (RuntimeException e) {
        // The executor is shut down: the cache is closing; nobody is left to deliver to.
        scheduled.set(false);
        finish();
      }
    }
  }

  private void drain() {
    while (true) {
      if (ending.get()) {
        finish();
        return;
      }
      Object item = backlog.poll();
      if (item == null) {
        item = queue.poll();
        if (item == null) {
          scheduled.set(false);
          // Re-check: an offer may have slipped in after the poll but before the flag cleared.
          if ((queue.isEmpty() && !ending.get()) || !scheduled.compareAndSet(false, true)) {
            return;
          }
          continue;
        }
        if (item instanceof Change) {
          queued.decrementAndGet();
        }
      }
      try {
        deliver(item);
      } catch (RuntimeException e) {
        log.warn("ending watch on {}: its sink failed", prefix, e);
        end(e);
      }
    }
  }

  private void deliver(Object item) {
    switch (item) {
      case CachedObject initial -> {
        if (filter.test(initial.object())) {
          send(new CacheEvent(CacheEvent.Type.ADDED, initial));
        }
      }
      case Change change -> {
        if (change.revision > afterRevision) {
          CacheEvent event = toEvent(change);
          if (event != null) {
            send(event);
          }
        }
      }
      case Bookmark bookmark -> {
        bookmarkPending = false;
        if (bookmark.revision() > afterRevision) {
          sink.onBookmark(bookmark.revision());
          lastSentMillis = clock.millis();
        }
      }
      default -> throw new IllegalStateException("unexpected queue item " + item);
    }
  }

  /** What the change looks like through this watch's selector, as upstream's cacheWatcher does. */
  private CacheEvent toEvent(Change change) {
    boolean matchesNow = !change.isDelete() && filter.test(change.current.object());
    boolean matchedBefore = change.previous != null && filter.test(change.previous.object());
    if (matchesNow) {
      return new CacheEvent(
          matchedBefore ? CacheEvent.Type.MODIFIED : CacheEvent.Type.ADDED, change.current);
    }
    return matchedBefore ? new CacheEvent(CacheEvent.Type.DELETED, change.departed()) : null;
  }

  private void send(CacheEvent event) {
    sink.onEvent(event);
    lastSentMillis = clock.millis();
  }

  private void finish() {
    if (finished.compareAndSet(false, true)) {
      backlog.clear();
      queue.clear();
      try {
        sink.onClose(endError);
      } catch (RuntimeException e) {
        log.warn("watch sink on {} failed on close", prefix, e);
      }
    }
  }
}
