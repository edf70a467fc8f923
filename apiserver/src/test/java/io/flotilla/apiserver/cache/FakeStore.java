package io.flotilla.apiserver.cache;

import io.flotilla.store.CompactedException;
import io.flotilla.store.KeyValue;
import io.flotilla.store.Lease;
import io.flotilla.store.RangeRequest;
import io.flotilla.store.RangeResult;
import io.flotilla.store.Store;
import io.flotilla.store.StoreException;
import io.flotilla.store.Txn;
import io.flotilla.store.TxnResult;
import io.flotilla.store.Watch;
import io.flotilla.store.WatchEvent;
import io.flotilla.store.WatchListener;
import io.flotilla.store.WatchRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A tiny in-memory {@link Store} for the cache's unit tests: latest-revision ranges, puts and
 * deletes, watches with history, compaction, and a switch to break every watch. Watch callbacks run
 * on one thread, in revision order, as a real store's do.
 */
final class FakeStore implements Store {
  private record Registered(WatchRequest request, WatchListener listener) {
    boolean matches(String key) {
      return request.prefix() ? key.startsWith(request.key()) : key.equals(request.key());
    }
  }

  private final ExecutorService callbacks = Executors.newSingleThreadExecutor();
  private final TreeMap<String, KeyValue> kvs = new TreeMap<>();
  private final List<WatchEvent> history = new ArrayList<>();
  private final List<Registered> watches = new ArrayList<>();
  private long revision = 1;
  private long compacted;
  private long leases;

  @Override
  public synchronized CompletableFuture<RangeResult> range(RangeRequest r) {
    if (r.revision() != 0 || !r.prefix()) {
      throw new UnsupportedOperationException("FakeStore reads prefixes at the latest revision");
    }
    List<KeyValue> found = new ArrayList<>();
    kvs.tailMap(r.key())
        .forEach(
            (k, v) -> {
              if (k.startsWith(r.key())) {
                found.add(v);
              }
            });
    return CompletableFuture.completedFuture(new RangeResult(found, false, found.size(), revision));
  }

  @Override
  public synchronized CompletableFuture<TxnResult> txn(Txn t) {
    KeyValue prev = kvs.get(t.key());
    if (t.expectedModRevision() != Txn.ANY
        && t.expectedModRevision() != (prev == null ? 0 : prev.modRevision())) {
      return CompletableFuture.completedFuture(new TxnResult(false, revision, prev, null));
    }
    if (t.op() instanceof Txn.Put put) {
      revision++;
      KeyValue kv =
          new KeyValue(
              t.key(),
              put.value(),
              prev == null ? revision : prev.createRevision(),
              revision,
              prev == null ? 1 : prev.version() + 1,
              put.lease());
      kvs.put(t.key(), kv);
      publish(new WatchEvent(WatchEvent.Type.PUT, kv, prev));
      return CompletableFuture.completedFuture(new TxnResult(true, revision, kv, prev));
    }
    if (prev == null) {
      return CompletableFuture.completedFuture(new TxnResult(true, revision, null, null));
    }
    revision++;
    kvs.remove(t.key());
    publish(
        new WatchEvent(
            WatchEvent.Type.DELETE,
            new KeyValue(t.key(), null, prev.createRevision(), revision, 0, 0),
            prev));
    return CompletableFuture.completedFuture(new TxnResult(true, revision, null, prev));
  }

  private void publish(WatchEvent e) {
    history.add(e);
    for (Registered w : watches) {
      if (w.matches(e.kv().key())) {
        callbacks.execute(() -> w.listener.onEvents(List.of(e)));
      }
    }
  }

  @Override
  public synchronized Watch watch(WatchRequest request, WatchListener listener) {
    Registered w = new Registered(request, listener);
    long start = request.startRevision() == 0 ? revision + 1 : request.startRevision();
    if (start <= compacted) {
      callbacks.execute(() -> listener.onError(new CompactedException(start, compacted)));
      return () -> {};
    }
    for (WatchEvent e : history) {
      if (e.revision() >= start && w.matches(e.kv().key())) {
        callbacks.execute(() -> listener.onEvents(List.of(e)));
      }
    }
    watches.add(w);
    return () -> {
      synchronized (this) {
        watches.remove(w);
      }
    };
  }

  /** Ends every watch with {@code error}, as a store does when its connection drops. */
  synchronized void breakWatches(StoreException error) {
    for (Registered w : watches) {
      callbacks.execute(() -> w.listener.onError(error));
    }
    watches.clear();
  }

  /** Reports progress at the current revision to every watch. */
  synchronized void reportProgress() {
    long r = revision;
    watches.forEach(w -> callbacks.execute(() -> w.listener.onProgress(r)));
  }

  @Override
  public synchronized CompletableFuture<Long> currentRevision() {
    return CompletableFuture.completedFuture(revision);
  }

  @Override
  public synchronized CompletableFuture<Long> compact(long rev) {
    compacted = rev;
    history.removeIf(e -> e.revision() <= rev);
    return CompletableFuture.completedFuture(rev);
  }

  /** Leases never expire here; revoking one deletes its keys in one revision, as etcd does. */
  @Override
  public synchronized CompletableFuture<Lease> grantLease(long ttlSeconds) {
    return CompletableFuture.completedFuture(new Lease(++leases, ttlSeconds));
  }

  @Override
  public CompletableFuture<Long> keepAlive(long leaseId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public synchronized CompletableFuture<Void> revokeLease(long leaseId) {
    List<KeyValue> attached = kvs.values().stream().filter(kv -> kv.lease() == leaseId).toList();
    if (!attached.isEmpty()) {
      revision++;
      for (KeyValue prev : attached) {
        kvs.remove(prev.key());
        publish(
            new WatchEvent(
                WatchEvent.Type.DELETE,
                new KeyValue(prev.key(), null, prev.createRevision(), revision, 0, 0),
                prev));
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void close() {
    callbacks.shutdownNow();
  }
}
