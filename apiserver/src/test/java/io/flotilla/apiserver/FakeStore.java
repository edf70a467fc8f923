package io.flotilla.apiserver;

import io.flotilla.store.CompactedException;
import io.flotilla.store.FutureRevisionException;
import io.flotilla.store.KeyValue;
import io.flotilla.store.Lease;
import io.flotilla.store.RangeRequest;
import io.flotilla.store.RangeResult;
import io.flotilla.store.Requests;
import io.flotilla.store.Store;
import io.flotilla.store.StoreUnavailableException;
import io.flotilla.store.Txn;
import io.flotilla.store.TxnResult;
import io.flotilla.store.Watch;
import io.flotilla.store.WatchEvent;
import io.flotilla.store.WatchListener;
import io.flotilla.store.WatchRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * An in-memory Store with etcd revision semantics for apiserver unit tests. Every operation runs on
 * one executor thread, so watch events are delivered in revision order after each write.
 */
public final class FakeStore implements Store {
  private final ExecutorService exec =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "fake-store");
            t.setDaemon(true);
            return t;
          });
  private final TreeMap<String, List<KeyValue>> history = new TreeMap<>();
  private final List<WatchEvent> log = new ArrayList<>();
  private final List<FakeWatch> watches = new CopyOnWriteArrayList<>();
  private long revision = 1;
  private long compacted = 0;

  private <T> CompletableFuture<T> run(Supplier<T> op) {
    return CompletableFuture.supplyAsync(op, exec);
  }

  @Override
  public CompletableFuture<RangeResult> range(RangeRequest r) {
    Requests.check(r);
    return run(
        () -> {
          long at = r.revision() == 0 ? revision : r.revision();
          if (at < compacted) {
            throw new CompactedException(at, compacted);
          }
          if (at > revision) {
            throw new FutureRevisionException(at, revision);
          }
          List<KeyValue> found = new ArrayList<>();
          Map<String, List<KeyValue>> keys =
              r.prefix()
                  ? history.tailMap(r.fromKey() == null ? r.key() : r.fromKey(), true)
                  : history.subMap(r.key(), true, r.key(), true);
          for (Map.Entry<String, List<KeyValue>> e : keys.entrySet()) {
            if (r.prefix() && !e.getKey().startsWith(r.key())) {
              break;
            }
            KeyValue kv = at(e.getValue(), at);
            if (kv != null) {
              found.add(kv);
            }
          }
          long count = found.size();
          boolean more = r.limit() > 0 && count > r.limit();
          List<KeyValue> page = more ? found.subList(0, (int) r.limit()) : found;
          return new RangeResult(r.countOnly() ? List.of() : page, more, count, at);
        });
  }

  private static KeyValue at(List<KeyValue> versions, long rev) {
    KeyValue best = null;
    for (KeyValue kv : versions) {
      if (kv.modRevision() <= rev) {
        best = kv;
      }
    }
    return best == null || best.version() == 0 ? null : best;
  }

  private KeyValue live(String key) {
    List<KeyValue> v = history.get(key);
    return v == null ? null : at(v, revision);
  }

  @Override
  public CompletableFuture<TxnResult> txn(Txn t) {
    Requests.check(t);
    return run(
        () -> {
          KeyValue cur = live(t.key());
          long mod = cur == null ? 0 : cur.modRevision();
          if (t.expectedModRevision() != Txn.ANY && t.expectedModRevision() != mod) {
            return new TxnResult(false, revision, cur, null);
          }
          if (t.op() instanceof Txn.Put put) {
            long rev = ++revision;
            KeyValue kv =
                new KeyValue(
                    t.key(),
                    put.value(),
                    cur == null ? rev : cur.createRevision(),
                    rev,
                    cur == null ? 1 : cur.version() + 1,
                    put.lease());
            history.computeIfAbsent(t.key(), k -> new ArrayList<>()).add(kv);
            publish(new WatchEvent(WatchEvent.Type.PUT, kv, cur));
            return new TxnResult(true, rev, kv, cur);
          }
          if (cur == null) {
            return new TxnResult(true, revision, null, null);
          }
          long rev = ++revision;
          KeyValue tomb = new KeyValue(t.key(), new byte[0], cur.createRevision(), rev, 0, 0);
          history.get(t.key()).add(tomb);
          publish(new WatchEvent(WatchEvent.Type.DELETE, tomb, cur));
          return new TxnResult(true, rev, null, cur);
        });
  }

  private void publish(WatchEvent e) {
    log.add(e);
    for (FakeWatch w : watches) {
      w.offer(List.of(e));
    }
  }

  @Override
  public Watch watch(WatchRequest r, WatchListener listener) {
    Requests.check(r);
    FakeWatch w = new FakeWatch(r, listener);
    exec.execute(
        () -> {
          long start = r.startRevision() == 0 ? revision + 1 : r.startRevision();
          if (start < compacted) {
            listener.onError(new CompactedException(start, compacted));
            return;
          }
          List<WatchEvent> replay = new ArrayList<>();
          for (WatchEvent e : log) {
            if (e.revision() >= start) {
              replay.add(e);
            }
          }
          w.offer(replay);
          watches.add(w);
        });
    return w;
  }

  private final class FakeWatch implements Watch {
    private final WatchRequest req;
    private final WatchListener listener;
    private volatile boolean closed;

    FakeWatch(WatchRequest req, WatchListener listener) {
      this.req = req;
      this.listener = listener;
    }

    void offer(List<WatchEvent> events) {
      List<WatchEvent> mine = new ArrayList<>();
      for (WatchEvent e : events) {
        String k = e.kv().key();
        if (req.prefix() ? k.startsWith(req.key()) : k.equals(req.key())) {
          mine.add(e);
        }
      }
      if (!closed && !mine.isEmpty()) {
        listener.onEvents(mine);
      }
    }

    @Override
    public void close() {
      closed = true;
      watches.remove(this);
    }
  }

  @Override
  public CompletableFuture<Long> currentRevision() {
    return run(() -> revision);
  }

  @Override
  public CompletableFuture<Long> compact(long rev) {
    return run(
        () -> {
          if (rev <= compacted) {
            throw new CompactedException(rev, compacted);
          }
          if (rev > revision) {
            throw new FutureRevisionException(rev, revision);
          }
          compacted = rev;
          log.removeIf(e -> e.revision() <= rev);
          return rev;
        });
  }

  @Override
  public CompletableFuture<Lease> grantLease(long ttlSeconds) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("no leases here"));
  }

  @Override
  public CompletableFuture<Long> keepAlive(long leaseId) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("no leases here"));
  }

  @Override
  public CompletableFuture<Void> revokeLease(long leaseId) {
    return CompletableFuture.failedFuture(new UnsupportedOperationException("no leases here"));
  }

  @Override
  public void close() {
    watches.forEach(w -> w.listener.onError(new StoreUnavailableException("store closed")));
    exec.shutdownNow();
  }
}
