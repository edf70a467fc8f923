package io.flotilla.store;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Store} held in memory: a small, faithful fake of etcd's semantics for unit tests, and
 * the reference that {@link StoreContractTest} is checked against.
 *
 * <p>Threading: every operation locks the shared {@link State}, so operations run one at a time and
 * their futures are complete when the call returns. Watch events are queued, under that lock, onto
 * one delivery thread per store, which keeps revision order and never overlaps two listener calls.
 * A second thread reaps expired leases every 50 ms.
 *
 * <p>The full history of writes is kept (compaction only moves the point below which it may not be
 * read), so past reads replay it and watches catch up from it. {@link #reopen} builds a new store
 * on the same {@link State}, which is what a restart looks like to a client.
 */
public final class InMemoryStore implements Store {

  /** Keys in etcd's order: unsigned bytes of their UTF-8 encoding. */
  static final Comparator<String> BYTE_ORDER = (a, b) -> Arrays.compareUnsigned(utf8(a), utf8(b));

  /** What survives a restart. Guarded by its own monitor. */
  static final class State {
    /** Every write; the event at index i has revision i + 2. */
    final List<WatchEvent> history = new ArrayList<>();

    final TreeMap<String, KeyValue> live = new TreeMap<>(BYTE_ORDER);
    final Map<Long, LeaseState> leases = new HashMap<>();
    long revision = 1;
    long compactRevision = 0;
    long nextLeaseId = 7001;
  }

  private static final class LeaseState {
    final long ttlSeconds;
    Instant expiry;

    LeaseState(long ttlSeconds, Instant expiry) {
      this.ttlSeconds = ttlSeconds;
      this.expiry = expiry;
    }
  }

  private final State state;
  private final Clock clock;
  private final List<InMemoryWatch> watches = new ArrayList<>();
  private final ExecutorService delivery =
      Executors.newSingleThreadExecutor(r -> daemon(r, "in-memory-store-watch"));
  private final ScheduledExecutorService reaper =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "in-memory-store-leases"));
  private boolean closed;

  private InMemoryStore(State state, Clock clock) {
    this.state = state;
    this.clock = clock;
    reaper.scheduleWithFixedDelay(this::expireLeases, 50, 50, TimeUnit.MILLISECONDS);
  }

  /** A new, empty store at revision 1. */
  public static InMemoryStore create(Clock clock) {
    return new InMemoryStore(new State(), clock);
  }

  /** Closes {@code store} and opens a new one on its data, as a restart would. */
  public static InMemoryStore reopen(InMemoryStore store) {
    store.close();
    return new InMemoryStore(store.state, store.clock);
  }

  @Override
  public CompletableFuture<RangeResult> range(RangeRequest request) {
    return call(
        () -> {
          Requests.check(request);
          long rev = request.revision() == 0 ? state.revision : request.revision();
          if (rev > state.revision) {
            throw new FutureRevisionException(rev, state.revision);
          }
          if (rev < state.compactRevision) {
            throw new CompactedException(rev, state.compactRevision);
          }
          List<KeyValue> found =
              select(rev == state.revision ? state.live : snapshotAt(rev), request);
          long limit = request.limit();
          boolean more = limit > 0 && found.size() > limit;
          List<KeyValue> kvs =
              request.countOnly() ? List.of() : more ? found.subList(0, (int) limit) : found;
          return new RangeResult(kvs, more, found.size(), rev);
        });
  }

  @Override
  public CompletableFuture<TxnResult> txn(Txn txn) {
    return call(
        () -> {
          Requests.check(txn);
          KeyValue current = state.live.get(txn.key());
          long currentMod = current == null ? 0 : current.modRevision();
          if (txn.expectedModRevision() != Txn.ANY && txn.expectedModRevision() != currentMod) {
            return new TxnResult(false, state.revision, current, null);
          }
          return switch (txn.op()) {
            case Txn.Put put -> put(txn.key(), put, current);
            case Txn.Delete delete ->
                current == null
                    ? new TxnResult(true, state.revision, null, null)
                    : new TxnResult(true, deleteKey(current), null, current);
          };
        });
  }

  private TxnResult put(String key, Txn.Put put, KeyValue current) {
    if (put.lease() != 0 && !state.leases.containsKey(put.lease())) {
      throw new LeaseNotFoundException(put.lease());
    }
    long rev = ++state.revision;
    KeyValue kv =
        new KeyValue(
            key,
            put.value().clone(),
            current == null ? rev : current.createRevision(),
            rev,
            current == null ? 1 : current.version() + 1,
            put.lease());
    state.live.put(key, kv);
    record(new WatchEvent(WatchEvent.Type.PUT, kv, current));
    return new TxnResult(true, rev, kv, current);
  }

  private long deleteKey(KeyValue current) {
    long rev = ++state.revision;
    state.live.remove(current.key());
    KeyValue tombstone = new KeyValue(current.key(), new byte[0], 0, rev, 0, 0);
    record(new WatchEvent(WatchEvent.Type.DELETE, tombstone, current));
    return rev;
  }

  private void record(WatchEvent event) {
    state.history.add(event);
    for (InMemoryWatch w : watches) {
      if (w.matches(event)) {
        w.deliver(List.of(event));
      }
    }
  }

  @Override
  public Watch watch(WatchRequest request, WatchListener listener) {
    synchronized (state) {
      InMemoryWatch w = new InMemoryWatch(request, listener);
      try {
        Requests.check(request);
        checkOpen();
      } catch (StoreException e) {
        w.fail(e);
        return w;
      }
      w.start = request.startRevision() == 0 ? state.revision + 1 : request.startRevision();
      if (w.start < state.compactRevision) {
        w.fail(new CompactedException(w.start, state.compactRevision));
        return w;
      }
      List<WatchEvent> backlog = new ArrayList<>();
      for (long rev = Math.max(w.start, 2); rev <= state.revision; rev++) {
        WatchEvent event = state.history.get((int) rev - 2);
        if (w.matches(event)) {
          backlog.add(event);
        }
      }
      if (!backlog.isEmpty()) {
        w.deliver(backlog);
      }
      watches.add(w);
      return w;
    }
  }

  @Override
  public CompletableFuture<Long> currentRevision() {
    return call(() -> state.revision);
  }

  @Override
  public CompletableFuture<Long> compact(long revision) {
    return call(
        () -> {
          if (revision > state.revision) {
            throw new FutureRevisionException(revision, state.revision);
          }
          if (revision <= state.compactRevision) {
            throw new CompactedException(revision, state.compactRevision);
          }
          state.compactRevision = revision;
          return revision;
        });
  }

  @Override
  public CompletableFuture<Lease> grantLease(long ttlSeconds) {
    return call(
        () -> {
          Requests.checkTtl(ttlSeconds);
          long id = state.nextLeaseId++;
          state.leases.put(id, new LeaseState(ttlSeconds, clock.instant().plusSeconds(ttlSeconds)));
          return new Lease(id, ttlSeconds);
        });
  }

  @Override
  public CompletableFuture<Long> keepAlive(long leaseId) {
    return call(
        () -> {
          LeaseState lease = liveLease(leaseId);
          lease.expiry = clock.instant().plusSeconds(lease.ttlSeconds);
          return lease.ttlSeconds;
        });
  }

  @Override
  public CompletableFuture<Void> revokeLease(long leaseId) {
    return call(
        () -> {
          liveLease(leaseId);
          revoke(leaseId);
          return null;
        });
  }

  /** The lease, or LeaseNotFoundException; a lease past its expiry counts as gone. */
  private LeaseState liveLease(long leaseId) {
    LeaseState lease = state.leases.get(leaseId);
    if (lease != null && !lease.expiry.isAfter(clock.instant())) {
      revoke(leaseId);
      lease = null;
    }
    if (lease == null) {
      throw new LeaseNotFoundException(leaseId);
    }
    return lease;
  }

  private void revoke(long leaseId) {
    state.leases.remove(leaseId);
    List<KeyValue> attached =
        state.live.values().stream().filter(kv -> kv.lease() == leaseId).toList();
    attached.forEach(this::deleteKey);
  }

  private void expireLeases() {
    synchronized (state) {
      if (closed) {
        return;
      }
      Instant now = clock.instant();
      List<Long> expired =
          state.leases.entrySet().stream()
              .filter(e -> !e.getValue().expiry.isAfter(now))
              .map(Map.Entry::getKey)
              .toList();
      expired.forEach(this::revoke);
    }
  }

  @Override
  public void close() {
    synchronized (state) {
      if (closed) {
        return;
      }
      closed = true;
      for (InMemoryWatch w : List.copyOf(watches)) {
        w.fail(new StoreUnavailableException("the store is closed"));
      }
      watches.clear();
    }
    reaper.shutdownNow();
    delivery.shutdown();
  }

  private <T> CompletableFuture<T> call(Callable<T> operation) {
    synchronized (state) {
      try {
        checkOpen();
        return CompletableFuture.completedFuture(operation.call());
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new StoreUnavailableException("the store is closed");
    }
  }

  private NavigableMap<String, KeyValue> snapshotAt(long revision) {
    TreeMap<String, KeyValue> snapshot = new TreeMap<>(BYTE_ORDER);
    for (WatchEvent event : state.history.subList(0, (int) revision - 1)) {
      if (event.type() == WatchEvent.Type.PUT) {
        snapshot.put(event.kv().key(), event.kv());
      } else {
        snapshot.remove(event.kv().key());
      }
    }
    return snapshot;
  }

  private static List<KeyValue> select(NavigableMap<String, KeyValue> view, RangeRequest r) {
    if (!r.prefix()) {
      KeyValue kv = view.get(r.key());
      return kv == null ? List.of() : List.of(kv);
    }
    String from = r.fromKey() != null ? r.fromKey() : r.key();
    List<KeyValue> found = new ArrayList<>();
    for (KeyValue kv : view.tailMap(from, true).values()) {
      if (!hasPrefix(kv.key(), r.key())) {
        break;
      }
      found.add(kv);
    }
    return found;
  }

  static boolean hasPrefix(String key, String prefix) {
    byte[] k = utf8(key);
    byte[] p = utf8(prefix);
    return k.length >= p.length && Arrays.equals(k, 0, p.length, p, 0, p.length);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** One watch; its monitor makes close() wait out a delivery in progress. */
  private final class InMemoryWatch implements Watch {
    private final WatchRequest request;
    private final WatchListener listener;
    private long start;
    private boolean stopped;

    InMemoryWatch(WatchRequest request, WatchListener listener) {
      this.request = request;
      this.listener = listener;
    }

    boolean matches(WatchEvent event) {
      String key = event.kv().key();
      return event.revision() >= start
          && (request.prefix() ? hasPrefix(key, request.key()) : key.equals(request.key()));
    }

    void deliver(List<WatchEvent> events) {
      delivery.execute(
          () -> {
            synchronized (this) {
              if (!stopped) {
                listener.onEvents(events);
              }
            }
          });
    }

    void fail(StoreException error) {
      Runnable report =
          () -> {
            synchronized (this) {
              if (!stopped) {
                stopped = true;
                listener.onError(error);
              }
            }
          };
      try {
        delivery.execute(report);
      } catch (RejectedExecutionException e) {
        report.run(); // the store is closed: nothing else can be delivered, report on this thread
      }
    }

    @Override
    public void close() {
      synchronized (state) {
        watches.remove(this);
      }
      synchronized (this) {
        stopped = true;
      }
    }
  }
}
