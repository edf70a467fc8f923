package io.flotilla.apiserver.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flotilla.store.CompactedException;
import io.flotilla.store.KeyValue;
import io.flotilla.store.RangeRequest;
import io.flotilla.store.RangeResult;
import io.flotilla.store.Store;
import io.flotilla.store.StoreException;
import io.flotilla.store.Watch;
import io.flotilla.store.WatchEvent;
import io.flotilla.store.WatchListener;
import io.flotilla.store.WatchRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Threading: store callbacks arrive on store threads, one at a time per store watch; values are
 * parsed there, before the cache takes its lock. Each store watch carries a generation so that a
 * late callback from a replaced watch is ignored. Retries run on the scheduler.
 *
 * <p>Keeps a {@link WatchCache} fed from the store, as upstream's reflector does: list the prefix,
 * watch from the list's revision + 1, restart the watch from the cache's revision after an error,
 * and relist when that revision has been compacted away.
 */
final class StoreFeed implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoreFeed.class);
  private static final long MIN_BACKOFF_MILLIS = 100;
  private static final long MAX_BACKOFF_MILLIS = 5_000;

  /** Where the feed delivers; implemented by {@link WatchCache}. */
  interface Target {
    /** The state at {@code revision}, replacing everything. */
    void replace(long revision, List<CachedObject> objects);

    /** Changes in revision order; a null object is a delete. */
    void apply(List<Update> updates);

    /** The store has delivered every change up to {@code revision}. */
    void progress(long revision);

    long revision();
  }

  /** One decoded store change. */
  record Update(String key, long revision, CachedObject objectOrNull) {}

  private final Store store;
  private final String keyPrefix;
  private final ObjectMapper mapper;
  private final ScheduledExecutorService scheduler;
  private final Target target;
  private final AtomicInteger generation = new AtomicInteger();
  private volatile Watch watch;
  private volatile boolean closed;
  private volatile long backoffMillis = MIN_BACKOFF_MILLIS;

  StoreFeed(
      Store store,
      String keyPrefix,
      ObjectMapper mapper,
      ScheduledExecutorService scheduler,
      Target target) {
    this.store = store;
    this.keyPrefix = keyPrefix;
    this.mapper = mapper;
    this.scheduler = scheduler;
    this.target = target;
  }

  void start() {
    relist();
  }

  private void relist() {
    if (closed) {
      return;
    }
    CompletableFuture<RangeResult> listing;
    try {
      listing = store.range(RangeRequest.prefix(keyPrefix));
    } catch (RuntimeException e) {
      listing = CompletableFuture.failedFuture(e);
    }
    listing.whenComplete(
        (result, error) -> {
          if (closed) {
            return;
          }
          if (error != null) {
            log.warn("listing {} failed; retrying", keyPrefix, error);
            retry(this::relist);
            return;
          }
          List<CachedObject> objects = new ArrayList<>(result.kvs().size());
          for (KeyValue kv : result.kvs()) {
            CachedObject o = decode(kv);
            if (o != null) {
              objects.add(o);
            }
          }
          target.replace(result.revision(), objects);
          watchFrom(result.revision() + 1);
        });
  }

  private void watchFrom(long startRevision) {
    if (closed) {
      return;
    }
    Watch previous = watch;
    if (previous != null) {
      previous.close();
    }
    int g = generation.incrementAndGet();
    watch = store.watch(WatchRequest.prefix(keyPrefix, startRevision), new Listener(g));
    if (closed) {
      watch.close();
    }
  }

  private final class Listener implements WatchListener {
    private final int generation;

    Listener(int generation) {
      this.generation = generation;
    }

    private boolean stale() {
      return closed || generation != StoreFeed.this.generation.get();
    }

    @Override
    public void onEvents(List<WatchEvent> events) {
      if (stale()) {
        return;
      }
      List<Update> updates = new ArrayList<>(events.size());
      for (WatchEvent e : events) {
        // A value that cannot be parsed cannot be served; treat it like a delete so that
        // watchers do not keep a stale version of it.
        CachedObject o = e.type() == WatchEvent.Type.PUT ? decode(e.kv()) : null;
        updates.add(new Update(e.kv().key(), e.revision(), o));
      }
      target.apply(updates);
      backoffMillis = MIN_BACKOFF_MILLIS;
    }

    @Override
    public void onError(StoreException error) {
      if (stale()) {
        return;
      }
      if (error instanceof CompactedException) {
        log.info(
            "watch on {} fell behind compaction; relisting: {}", keyPrefix, error.getMessage());
        relist();
      } else {
        log.warn("watch on {} failed; restarting it", keyPrefix, error);
        // From the cache's revision, not the one after: a revision can span several keys, and
        // the broken watch may have delivered only some of them. The cache skips the rest.
        retry(() -> watchFrom(target.revision()));
      }
    }

    @Override
    public void onProgress(long revision) {
      if (!stale()) {
        target.progress(revision);
      }
    }
  }

  private CachedObject decode(KeyValue kv) {
    try {
      return CachedObjects.parse(mapper, kv);
    } catch (IOException e) {
      log.error("cannot parse stored value of {} at revision {}", kv.key(), kv.modRevision(), e);
      return null;
    }
  }

  private synchronized void retry(Runnable action) {
    long delay = backoffMillis;
    backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
    try {
      scheduler.schedule(action, delay, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      // The scheduler is shut down: the cache is closing.
    }
  }

  @Override
  public void close() {
    closed = true;
    Watch w = watch;
    if (w != null) {
      w.close();
    }
  }
}
