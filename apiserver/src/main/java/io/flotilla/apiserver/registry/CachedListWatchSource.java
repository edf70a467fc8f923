package io.flotilla.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.apiserver.cache.CacheWatch;
import io.flotilla.apiserver.cache.CachedObject;
import io.flotilla.apiserver.cache.ResourceVersionTooOldException;
import io.flotilla.apiserver.cache.Snapshot;
import io.flotilla.apiserver.cache.WatchCache;
import io.flotilla.apiserver.cache.WatchCacheOptions;
import io.flotilla.apiserver.cache.WatchSink;
import io.flotilla.store.CompactedException;
import io.flotilla.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Lists and watches served from one {@link WatchCache} per storage resource, started on first use.
 * Latest-revision lists wait until the cache has caught up with the store's current revision (so a
 * client reads its own writes) and fall back to the store when it cannot; reads at a past revision
 * (continue tokens, resourceVersionMatch=Exact) go to the store. Cached objects are shared, so
 * everything handed out is copied when the caller asks for an object it may change (see {@link
 * Item#object()}); replies that only serialize an object use its cached JSON.
 */
public final class CachedListWatchSource implements ListWatchSource {
  private final Store store;
  private final StoreListWatchSource direct;
  private final WatchCacheOptions options;
  private final Map<String, WatchCache> caches = new ConcurrentHashMap<>();

  public CachedListWatchSource(Store store, WatchCacheOptions options) {
    this.store = store;
    this.direct = new StoreListWatchSource(store);
    this.options = options;
  }

  /** The cache of the storage resource a prefix lies under: /registry/<group>/<resource>/. */
  private WatchCache cache(String prefix) {
    String[] parts = prefix.split("/");
    String key = "/" + parts[1] + "/" + parts[2] + "/" + parts[3] + "/";
    return caches.computeIfAbsent(key, k -> WatchCache.start(store, k, options));
  }

  @Override
  public CompletableFuture<Page> list(
      String prefix, long revision, String fromKey, long limit, Predicate<JsonNode> filter) {
    if (revision != 0) {
      return direct.list(prefix, revision, fromKey, limit, filter);
    }
    WatchCache cache = cache(prefix);
    return cache
        .ready()
        .thenCompose(v -> store.currentRevision())
        .thenCompose(cache::waitForRevision)
        .thenApply(v -> page(cache.list(prefix), fromKey, limit, filter))
        .exceptionallyCompose(e -> direct.list(prefix, revision, fromKey, limit, filter));
  }

  private static Page page(Snapshot snap, String fromKey, long limit, Predicate<JsonNode> filter) {
    List<Item> items = new ArrayList<>();
    List<CachedObject> all = snap.objects();
    for (int i = 0; i < all.size(); i++) {
      CachedObject o = all.get(i);
      if (fromKey != null && o.key().compareTo(fromKey) < 0) {
        continue;
      }
      if (!filter.test(o.object())) {
        continue;
      }
      if (limit > 0 && items.size() == limit) {
        return new Page(snap.revision(), items, o.key(), all.size() - i);
      }
      items.add(Item.shared(o.key(), o.revision(), o));
    }
    return new Page(snap.revision(), items, null, 0);
  }

  @Override
  public Cancellable watch(
      String prefix, long afterRevision, Predicate<JsonNode> filter, EventSink sink) {
    WatchCache cache = cache(prefix);
    if (!cache.ready().isDone() || cache.ready().isCompletedExceptionally()) {
      return direct.watch(prefix, afterRevision, filter, sink);
    }
    try {
      CacheWatch w =
          cache.watch(
              prefix,
              afterRevision,
              filter,
              true,
              new WatchSink() {
                @Override
                public void onEvent(io.flotilla.apiserver.cache.CacheEvent e) {
                  sink.onEvent(Event.shared(e.type().name(), e.object().revision(), e.object()));
                }

                @Override
                public void onBookmark(long revision) {
                  sink.onBookmark(revision);
                }

                @Override
                public void onClose(Throwable error) {
                  sink.onClose(translate(error));
                }
              });
      return w::close;
    } catch (ResourceVersionTooOldException e) {
      sink.onClose(translate(e));
      return () -> {};
    }
  }

  private static Throwable translate(Throwable error) {
    return error instanceof ResourceVersionTooOldException old
        ? new CompactedException(old.requested(), old.oldest())
        : error;
  }

  @Override
  public void close() {
    caches.values().forEach(WatchCache::close);
  }
}
