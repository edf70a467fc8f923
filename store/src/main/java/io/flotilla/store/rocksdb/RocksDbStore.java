package io.flotilla.store.rocksdb;

import io.flotilla.store.InvalidRequestException;
import io.flotilla.store.Lease;
import io.flotilla.store.RangeRequest;
import io.flotilla.store.RangeResult;
import io.flotilla.store.Requests;
import io.flotilla.store.Store;
import io.flotilla.store.StoreException;
import io.flotilla.store.StoreUnavailableException;
import io.flotilla.store.Txn;
import io.flotilla.store.TxnResult;
import io.flotilla.store.Watch;
import io.flotilla.store.WatchListener;
import io.flotilla.store.WatchRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The embedded {@link Store}: etcd v3 semantics on a local RocksDB.
 *
 * <p>Layout: column family {@code kv} maps each live key to its current record, {@code log} maps
 * each revision to the change made at it, {@code meta} holds the current and compaction revisions
 * and the leases. See store/README.md.
 *
 * <p>Threading: writes, lease grants and revokes and compactions go through the single {@link
 * Committer} thread (group commit, synced WAL before any future completes); reads run on a small
 * pool against a RocksDB snapshot; each watch has its own virtual thread ({@link LogWatch}); a
 * scheduler checks lease expiry and revokes through the committer, so expiry deletes look to
 * watchers like any delete.
 */
public final class RocksDbStore implements Store {

  /**
   * Settings.
   *
   * @param clock the clock that lease deadlines are measured on
   * @param maxBatch the most operations committed in one write batch
   * @param watchQueueBatches how many committed batches a watch may lag before it falls back to
   *     reading the log
   * @param leaseCheckInterval how often lease deadlines are checked
   */
  public record Options(
      Clock clock, int maxBatch, int watchQueueBatches, Duration leaseCheckInterval) {
    public Options {
      Objects.requireNonNull(clock, "clock");
      if (maxBatch < 1 || watchQueueBatches < 1) {
        throw new IllegalArgumentException("maxBatch and watchQueueBatches must be positive");
      }
      if (leaseCheckInterval.isNegative() || leaseCheckInterval.isZero()) {
        throw new IllegalArgumentException("leaseCheckInterval must be positive");
      }
    }

    public static Options defaults() {
      return new Options(Clock.systemUTC(), 4096, 1024, Duration.ofMillis(250));
    }

    public Options withClock(Clock clock) {
      return new Options(clock, maxBatch, watchQueueBatches, leaseCheckInterval);
    }

    public Options withLeaseCheckInterval(Duration interval) {
      return new Options(clock, maxBatch, watchQueueBatches, interval);
    }
  }

  private final StoreDb db;
  private final Options options;
  private final Leases leases;
  private final WatchHub hub;
  private final Committer committer;
  private final Compactor compactor;
  private final Reader reader;
  private final ExecutorService readPool;
  private final ExecutorService completions = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService leaseChecker;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RocksDbStore(StoreDb db, Options options, long revision, long compact) {
    this.db = db;
    this.options = options;
    this.leases = new Leases(options.clock());
    this.hub = new WatchHub(revision);
    this.compactor = new Compactor(db);
    this.reader = new Reader(db);
    this.committer =
        new Committer(
            db,
            leases,
            hub,
            completions,
            compactor::schedule,
            options.maxBatch(),
            revision,
            compact);
    int readers = Math.max(2, Runtime.getRuntime().availableProcessors());
    this.readPool =
        Executors.newFixedThreadPool(
            readers, Thread.ofPlatform().name("rocksdb-read-", 0).daemon().factory());
    this.leaseChecker =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("rocksdb-leases").daemon().factory());
  }

  public static RocksDbStore open(Path dir) {
    return open(dir, Options.defaults());
  }

  /**
   * Opens (or creates) the store in {@code dir}. Recovery reads only the {@code meta} column family
   * (revisions and leases); RocksDB replays its own WAL, which is bounded by the memtable size, so
   * opening does not grow with history.
   */
  public static RocksDbStore open(Path dir, Options options) {
    StoreDb db;
    try {
      db = StoreDb.open(dir);
    } catch (RocksDBException | IOException e) {
      throw new StoreUnavailableException("cannot open RocksDB in " + dir + ": " + e, e);
    }
    try {
      long[] revs = db.read(v -> new long[] {v.revision(), v.compactRevision()});
      RocksDbStore store = new RocksDbStore(db, options, revs[0], revs[1]);
      store.recover(revs[1]);
      store.start();
      return store;
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  private void recover(long compact) {
    db.read(
        view -> {
          try (RocksIterator it = view.iterator(db.meta)) {
            for (it.seek(Keys.LEASE); it.isValid() && Keys.startsWith(it.key(), Keys.LEASE); ) {
              leases.grant(leaseId(it.key(), Keys.LEASE.length), Keys.toLong(it.value()));
              it.next();
            }
            for (it.seek(Keys.LEASE_KEY);
                it.isValid() && Keys.startsWith(it.key(), Keys.LEASE_KEY);
                it.next()) {
              byte[] k = it.key();
              int at = Keys.LEASE_KEY.length + 8;
              leases.attach(
                  leaseId(k, Keys.LEASE_KEY.length),
                  new String(k, at, k.length - at, java.nio.charset.StandardCharsets.UTF_8));
            }
          }
          if (view.metaLong(Keys.COMPACTED, 0) < compact) {
            compactor.schedule(compact);
          }
          return null;
        });
  }

  private static long leaseId(byte[] key, int at) {
    return java.nio.ByteBuffer.wrap(key, at, 8).getLong();
  }

  private void start() {
    committer.start();
    long every = options.leaseCheckInterval().toMillis();
    leaseChecker.scheduleWithFixedDelay(this::revokeExpired, every, every, TimeUnit.MILLISECONDS);
  }

  private void revokeExpired() {
    for (long id : leases.claimExpired()) {
      committer.submit(new Committer.RevokeOp(id, true, new CompletableFuture<>()));
    }
  }

  @Override
  public CompletableFuture<RangeResult> range(RangeRequest request) {
    try {
      Requests.check(request);
    } catch (InvalidRequestException e) {
      return CompletableFuture.failedFuture(e);
    }
    return async(() -> reader.range(request));
  }

  @Override
  public CompletableFuture<TxnResult> txn(Txn txn) {
    try {
      Requests.check(txn);
    } catch (InvalidRequestException e) {
      return CompletableFuture.failedFuture(e);
    }
    // The caller keeps its array; the store must not see later changes to it.
    Txn own =
        txn.op() instanceof Txn.Put put
            ? new Txn(
                txn.key(), txn.expectedModRevision(), new Txn.Put(put.value().clone(), put.lease()))
            : txn;
    CompletableFuture<TxnResult> f = new CompletableFuture<>();
    committer.submit(new Committer.TxnOp(own, f));
    return f;
  }

  @Override
  public Watch watch(WatchRequest request, WatchListener listener) {
    Requests.check(request);
    Objects.requireNonNull(listener, "listener");
    LogWatch w = new LogWatch(db, hub, request, listener, options.watchQueueBatches());
    w.start();
    return w;
  }

  @Override
  public CompletableFuture<Long> currentRevision() {
    return closed.get()
        ? CompletableFuture.failedFuture(closedError())
        : CompletableFuture.completedFuture(committer.committedRevision());
  }

  @Override
  public CompletableFuture<Long> compact(long revision) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    committer.submit(new Committer.CompactOp(revision, f));
    return f;
  }

  @Override
  public CompletableFuture<Lease> grantLease(long ttlSeconds) {
    try {
      Requests.checkTtl(ttlSeconds);
    } catch (InvalidRequestException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Lease> f = new CompletableFuture<>();
    committer.submit(new Committer.GrantOp(ttlSeconds, f));
    return f;
  }

  @Override
  public CompletableFuture<Long> keepAlive(long leaseId) {
    if (closed.get()) {
      return CompletableFuture.failedFuture(closedError());
    }
    try {
      return CompletableFuture.completedFuture(leases.keepAlive(leaseId));
    } catch (StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<Void> revokeLease(long leaseId) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    committer.submit(new Committer.RevokeOp(leaseId, false, f));
    return f;
  }

  /** Log entries currently stored; for tests of compaction. */
  long logEntryCount() {
    return db.read(
        view -> {
          long n = 0;
          try (RocksIterator it = view.iterator(db.log)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
              n++;
            }
          }
          return n;
        });
  }

  /**
   * Closes the store: queued writes are committed first, then watches end with {@link
   * StoreUnavailableException} and RocksDB is closed once running reads have finished.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    leaseChecker.shutdownNow();
    committer.close();
    compactor.close();
    hub.closeAll(closedError());
    readPool.shutdown();
    db.close();
    completions.shutdown();
  }

  /** Completes a future on a virtual thread; inline once the store has closed. */
  private void completeOff(Runnable completion) {
    try {
      completions.execute(completion);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      completion.run();
    }
  }

  /** Runs a read on the pool; the future fails with the store's own exception, unwrapped. */
  private <T> CompletableFuture<T> async(Supplier<T> work) {
    CompletableFuture<T> f = new CompletableFuture<>();
    try {
      // The read runs on the small read pool; its future completes on a virtual thread, so the
      // caller's continuation never holds a reader while other reads queue behind it.
      readPool.execute(
          () -> {
            try {
              T result = work.get();
              completeOff(() -> f.complete(result));
            } catch (StoreException e) {
              completeOff(() -> f.completeExceptionally(e));
            } catch (RuntimeException e) {
              StoreException err = new StoreUnavailableException("read failed: " + e, e);
              completeOff(() -> f.completeExceptionally(err));
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      f.completeExceptionally(closedError());
    }
    return f;
  }

  private static StoreUnavailableException closedError() {
    return new StoreUnavailableException("the RocksDB store is closed");
  }
}
