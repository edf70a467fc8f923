package io.flotilla.apiserver.cache;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.store.Store;
import io.flotilla.store.StoreUnavailableException;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;

/**
 * Threading: all public methods are thread-safe. One thread at a time applies store changes (the
 * store watch's callback thread, see {@link StoreFeed}); it takes the write lock, updates the
 * objects and the event window, advances {@link #revision()} and hands each change to the queue of
 * every watch under its key, which never blocks. {@link #list} and watch registration take the read
 * lock, so they see one consistent revision and a new watch can neither miss nor repeat a change.
 * Sinks are called by one drain task per watch on the delivery executor (virtual threads by
 * default), never on the store's thread. Bookmarks, window aging and store retries run on the
 * scheduler.
 *
 * <p>The objects of one storage resource ({@code core/pods}, {@code apps/deployments} …) held in
 * memory with a window of recent changes, so that lists and watches are served without touching the
 * store; the semantics follow kube-apiserver's cacher. Objects are parsed once and shared between
 * the current state, the window, snapshots and events; nobody may mutate them (see {@link
 * CachedObject}).
 */
public final class WatchCache implements AutoCloseable {

  private final String keyPrefix;
  private final WatchCacheOptions options;
  private final ExecutorService delivery;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsExecutors;
  private final StoreFeed feed;
  private final RevisionWaiters waiters;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final TreeMap<String, CachedObject> objects = new TreeMap<>(); // guarded by lock
  private final EventWindow window; // guarded by lock
  private final CopyOnWriteArrayList<CacheWatcher> watchers = new CopyOnWriteArrayList<>();
  private final ScheduledFuture<?> ticker;
  private volatile long revision;
  private volatile boolean closed;

  private WatchCache(Store store, String keyPrefix, WatchCacheOptions options) {
    this.keyPrefix = keyPrefix;
    this.options = options;
    this.ownsExecutors = options.deliveryExecutor() == null;
    this.delivery =
        ownsExecutors ? Executors.newVirtualThreadPerTaskExecutor() : options.deliveryExecutor();
    this.scheduler =
        options.scheduler() != null
            ? options.scheduler()
            : Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("watch-cache-" + keyPrefix).factory());
    this.window = new EventWindow(options.maxEvents(), options.maxEventAge().toMillis());
    this.waiters =
        new RevisionWaiters(this::revision, options.freshnessTimeout(), scheduler, delivery);
    this.feed = new StoreFeed(store, keyPrefix, options.mapper(), scheduler, new Feed());
    long tick = options.tickInterval().toMillis();
    this.ticker = scheduler.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts loading every key under {@code keyPrefix} (for example {@code /registry/core/pods/}): a
   * range, then a store watch from the range's revision + 1. {@link #ready()} completes when the
   * range has been applied.
   */
  public static WatchCache start(Store store, String keyPrefix, WatchCacheOptions options) {
    if (keyPrefix == null || !keyPrefix.endsWith("/")) {
      throw new IllegalArgumentException(
          "key prefix must end with '/', got "
              + (keyPrefix == null ? "null" : "'" + keyPrefix + "'"));
    }
    WatchCache cache = new WatchCache(store, keyPrefix, options);
    cache.feed.start();
    return cache;
  }

  /** Completes once the initial list has been applied; list and watch need it. */
  public CompletableFuture<Void> ready() {
    return ready;
  }

  /** The last revision the cache has applied: its changes and the store's progress reports. */
  public long revision() {
    return revision;
  }

  /**
   * Completes when {@link #revision()} reaches {@code rv}, for reads that must be at least as fresh
   * as {@code rv}; fails with {@link TooLargeResourceVersionException} after the freshness timeout.
   * The cache only learns of other resources' revisions through the store's progress reports, so
   * such a wait may time out even though the store has passed {@code rv}.
   */
  public CompletableFuture<Long> waitForRevision(long rv) {
    if (closed) {
      return CompletableFuture.failedFuture(
          new StoreUnavailableException("watch cache for " + keyPrefix + " is closed"));
    }
    return waiters.await(rv);
  }

  /**
   * Every object whose key starts with {@code prefix} ({@code keyPrefix} for all, {@code keyPrefix
   * + namespace + "/"} for one namespace), in key order, at one revision.
   */
  public Snapshot list(String prefix) {
    checkUsable(prefix);
    lock.readLock().lock();
    try {
      String end =
          prefix.substring(0, prefix.length() - 1)
              + (char) (prefix.charAt(prefix.length() - 1) + 1);
      return new Snapshot(revision, List.copyOf(objects.subMap(prefix, end).values()));
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The cached version of one key, or null when the cache holds no object under it; for a GET that
   * accepts any resourceVersion. The key must lie under this cache's prefix.
   */
  public CachedObject get(String key) {
    checkUsable(key.substring(0, key.lastIndexOf('/') + 1));
    lock.readLock().lock();
    try {
      return objects.get(key);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** {@link #watch(String, long, Predicate, boolean, WatchSink)} without bookmarks. */
  public CacheWatch watch(
      String prefix, long afterRevision, Predicate<JsonNode> filter, WatchSink sink) {
    return watch(prefix, afterRevision, filter, false, sink);
  }

  /**
   * Sends to {@code sink} the changes to keys under {@code prefix} with a revision above {@code
   * afterRevision}, then live changes, in revision order, each once, as seen through {@code filter}
   * (null for everything). With {@code afterRevision} 0 it first sends an ADDED for every current
   * matching object, then changes after that state.
   *
   * @throws ResourceVersionTooOldException when changes after {@code afterRevision} have left the
   *     event window
   */
  public CacheWatch watch(
      String prefix,
      long afterRevision,
      Predicate<JsonNode> filter,
      boolean bookmarks,
      WatchSink sink) {
    checkUsable(prefix);
    if (afterRevision < 0 || sink == null) {
      throw new IllegalArgumentException(
          "watch needs a non-negative resourceVersion and a sink, got %d".formatted(afterRevision));
    }
    CacheWatcher watcher;
    lock.readLock().lock();
    try {
      if (closed) { // re-checked under the lock: close() ends every watch registered before it
        throw new IllegalStateException("watch cache for " + keyPrefix + " is closed");
      }
      long from = afterRevision;
      Collection<?> initial;
      if (afterRevision == 0) {
        Snapshot snapshot = list(prefix);
        from = snapshot.revision();
        initial = snapshot.objects();
      } else {
        initial = window.since(afterRevision, prefix);
      }
      CacheWatcher[] self = new CacheWatcher[1];
      watcher =
          new CacheWatcher(
              prefix,
              from,
              filter,
              sink,
              bookmarks,
              initial,
              options,
              delivery,
              () -> watchers.remove(self[0]));
      self[0] = watcher;
      watchers.add(watcher);
    } finally {
      lock.readLock().unlock();
    }
    watcher.start();
    return watcher;
  }

  /** How many watches are open; for metrics and tests. */
  public int watchCount() {
    return watchers.size();
  }

  /** How many changes the event window holds; for metrics and tests. */
  public int windowSize() {
    lock.readLock().lock();
    try {
      return window.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  private void checkUsable(String prefix) {
    if (prefix == null || !prefix.startsWith(keyPrefix) || !prefix.endsWith("/")) {
      throw new IllegalArgumentException(
          "prefix must start with %s and end with '/', got %s".formatted(keyPrefix, prefix));
    }
    if (closed) {
      throw new IllegalStateException("watch cache for " + keyPrefix + " is closed");
    }
    if (!ready.isDone()) {
      throw new IllegalStateException("watch cache for " + keyPrefix + " is not ready yet");
    }
  }

  /** What the store feed calls; kept off the public API. */
  private final class Feed implements StoreFeed.Target {
    @Override
    public void replace(long revision, List<CachedObject> objects) {
      replaceAll(revision, objects);
    }

    @Override
    public void apply(List<StoreFeed.Update> updates) {
      applyAll(updates);
    }

    @Override
    public void progress(long revision) {
      advanceTo(revision);
    }

    @Override
    public long revision() {
      return revision;
    }
  }

  private void replaceAll(long listRevision, List<CachedObject> listed) {
    boolean relist = ready.isDone();
    lock.writeLock().lock();
    try {
      objects.clear();
      listed.forEach(o -> objects.put(o.key(), o));
      window.reset(listRevision);
      revision = Math.max(revision, listRevision);
      if (relist) {
        // Changes between the old state and the new one were never seen: watches cannot continue.
        for (CacheWatcher w : List.copyOf(watchers)) {
          w.end(new ResourceVersionTooOldException(w.afterRevision(), listRevision));
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
    waiters.advance(revision);
    ready.complete(null);
  }

  private void applyAll(List<StoreFeed.Update> updates) {
    long now = options.clock().millis();
    lock.writeLock().lock();
    try {
      for (StoreFeed.Update u : updates) {
        // One revision can change several keys (a lease revoke deletes all of its keys at once),
        // and a restarted store watch replays the cache's last revision; skip only what is applied.
        if (u.revision() < revision || (u.revision() == revision && isApplied(u))) {
          continue;
        }
        CachedObject previous =
            u.objectOrNull() == null
                ? objects.remove(u.key())
                : objects.put(u.key(), u.objectOrNull());
        revision = u.revision();
        if (previous == null && u.objectOrNull() == null) {
          continue; // deleting a key the cache never held (its value could not be parsed)
        }
        Change change = new Change(u.key(), u.revision(), u.objectOrNull(), previous, now);
        window.add(change);
        for (CacheWatcher w : watchers) {
          if (u.key().startsWith(w.prefix())) {
            w.offer(change);
          }
        }
      }
      window.evict(now);
    } finally {
      lock.writeLock().unlock();
    }
    waiters.advance(revision);
  }

  private boolean isApplied(StoreFeed.Update u) {
    CachedObject held = objects.get(u.key());
    return u.objectOrNull() == null
        ? held == null
        : held != null && held.revision() == u.revision();
  }

  private void advanceTo(long storeRevision) {
    lock.writeLock().lock();
    try {
      revision = Math.max(revision, storeRevision);
    } finally {
      lock.writeLock().unlock();
    }
    waiters.advance(revision);
  }

  private void tick() {
    if (!ready.isDone()) {
      return;
    }
    long now = options.clock().millis();
    long interval = options.bookmarkInterval().toMillis();
    lock.writeLock().lock();
    try {
      window.evict(now);
      for (CacheWatcher w : watchers) {
        if (w.wantsBookmark(now, interval)) {
          w.offerBookmark(revision);
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Stops the store watch, ends every watch with {@code onClose(null)} and fails waiters. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      closed = true;
    } finally {
      lock.writeLock().unlock();
    }
    feed.close();
    ticker.cancel(false);
    List.copyOf(watchers).forEach(CacheWatcher::close);
    waiters.failAll(new StoreUnavailableException("watch cache for " + keyPrefix + " is closed"));
    ready.completeExceptionally(
        new StoreUnavailableException(
            "watch cache for " + keyPrefix + " closed before it was ready"));
    if (ownsExecutors) {
      delivery.shutdown();
    }
    if (options.scheduler() == null) {
      scheduler.shutdownNow();
    }
  }
}
