package io.flotilla.store.rocksdb;

import io.flotilla.store.CompactedException;
import io.flotilla.store.FutureRevisionException;
import io.flotilla.store.KeyValue;
import io.flotilla.store.Lease;
import io.flotilla.store.LeaseNotFoundException;
import io.flotilla.store.StoreException;
import io.flotilla.store.StoreUnavailableException;
import io.flotilla.store.Txn;
import io.flotilla.store.TxnResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.LongConsumer;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer: group commit of every change to the store.
 *
 * <p>Threading: callers enqueue operations from any thread; one platform thread takes everything
 * queued (up to {@code maxBatch}), evaluates the operations in queue order against the current
 * state plus the batch's own earlier writes, assigns revisions one by one, writes all of it as one
 * RocksDB {@code WriteBatch} with a synced WAL (one fsync for many writers), then publishes the
 * events to watches and finally completes the futures on another executor, so callers' callbacks
 * never run on, or stall, this thread. Once a write to RocksDB fails the store is broken and every
 * later operation fails with {@link StoreUnavailableException}: the in-memory lease state may no
 * longer match the disk.
 */
final class Committer {
  private static final Logger LOG = LoggerFactory.getLogger(Committer.class);

  sealed interface Op permits TxnOp, GrantOp, RevokeOp, CompactOp, Stop {}

  record TxnOp(Txn txn, CompletableFuture<TxnResult> future) implements Op {}

  record GrantOp(long ttlSeconds, CompletableFuture<Lease> future) implements Op {}

  /** Revokes a lease; an expiry revoke ({@code onlyIfExpired}) is dropped if it was renewed. */
  record RevokeOp(long leaseId, boolean onlyIfExpired, CompletableFuture<Void> future)
      implements Op {}

  record CompactOp(long revision, CompletableFuture<Long> future) implements Op {}

  private record Stop() implements Op {}

  private static final long MAX_BATCH_BYTES = 16L << 20;

  private final StoreDb db;
  private final Leases leases;
  private final WatchHub hub;
  private final Executor completions;
  private final LongConsumer onCompacted;
  private final int maxBatch;
  private final LinkedBlockingQueue<Op> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closing;
  private volatile boolean stopped;
  private volatile long committedRevision;
  private volatile long compactRevision;
  private StoreException broken;

  Committer(
      StoreDb db,
      Leases leases,
      WatchHub hub,
      Executor completions,
      LongConsumer onCompacted,
      int maxBatch,
      long revision,
      long compactRevision) {
    this.db = db;
    this.leases = leases;
    this.hub = hub;
    this.completions = completions;
    this.onCompacted = onCompacted;
    this.maxBatch = maxBatch;
    this.committedRevision = revision;
    this.compactRevision = compactRevision;
    this.thread = Thread.ofPlatform().name("rocksdb-committer").daemon().unstarted(this::loop);
  }

  void start() {
    thread.start();
  }

  long committedRevision() {
    return committedRevision;
  }

  long compactRevision() {
    return compactRevision;
  }

  void submit(Op op) {
    if (closing) {
      fail(op, closedError());
      return;
    }
    queue.add(op);
    // The committer may have drained the queue for the last time just before the add.
    if (stopped && queue.remove(op)) {
      fail(op, closedError());
    }
  }

  /** Commits everything queued before this call, then stops. */
  void close() {
    closing = true;
    queue.add(new Stop());
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void loop() {
    List<Op> ops = new ArrayList<>();
    boolean running = true;
    while (running) {
      try {
        ops.add(queue.take());
      } catch (InterruptedException e) {
        break;
      }
      queue.drainTo(ops, maxBatch - 1);
      int stop = indexOfStop(ops);
      if (stop >= 0) {
        running = false;
        List<Op> late = ops.subList(stop, ops.size());
        late.forEach(op -> fail(op, closedError()));
        late.clear();
      }
      commitInSlices(ops);
      ops.clear();
    }
    stopped = true;
    for (Op op; (op = queue.poll()) != null; ) {
      fail(op, closedError());
    }
  }

  /** Commits in slices of at most {@link #MAX_BATCH_BYTES} of values, so big puts stay bounded. */
  private void commitInSlices(List<Op> ops) {
    int from = 0;
    long bytes = 0;
    for (int i = 0; i < ops.size(); i++) {
      if (ops.get(i) instanceof TxnOp t && t.txn().op() instanceof Txn.Put put) {
        bytes += put.value().length;
      }
      if (bytes >= MAX_BATCH_BYTES || i == ops.size() - 1) {
        commit(ops.subList(from, i + 1));
        from = i + 1;
        bytes = 0;
      }
    }
  }

  private static int indexOfStop(List<Op> ops) {
    for (int i = 0; i < ops.size(); i++) {
      if (ops.get(i) instanceof Stop) {
        return i;
      }
    }
    return -1;
  }

  private void commit(List<Op> ops) {
    if (broken != null) {
      ops.forEach(op -> fail(op, broken));
      return;
    }
    try (Batch b = new Batch(db, leases, committedRevision, compactRevision)) {
      for (Op op : ops) {
        try {
          evaluate(op, b);
        } catch (StoreException e) {
          b.completions.add(() -> fail(op, e));
        }
      }
      if (b.dirty()) {
        db.writeDurably(b.seal());
      }
      committedRevision = b.revision;
      long previousCompact = compactRevision;
      compactRevision = b.compactRevision;
      if (!b.events.isEmpty()) {
        hub.publish(b.events, b.revision);
      }
      List<Runnable> done = List.copyOf(b.completions);
      // One task per write: callers' continuations (encoding, replies) then run side by side
      // rather than one after another behind the batch's first.
      done.forEach(completions::execute);
      if (b.compactRevision != previousCompact) {
        onCompacted.accept(b.compactRevision);
      }
    } catch (RocksDBException e) {
      LOG.error("RocksDB write failed; the store stops accepting writes", e);
      broken = new StoreUnavailableException("RocksDB write failed: " + e.getMessage(), e);
      ops.forEach(op -> fail(op, broken));
    }
  }

  private void evaluate(Op op, Batch b) throws RocksDBException {
    switch (op) {
      case TxnOp t -> evaluateTxn(t, b);
      case GrantOp g -> {
        long id = leases.newId();
        b.grantLease(id, g.ttlSeconds());
        b.completions.add(() -> g.future().complete(new Lease(id, g.ttlSeconds())));
      }
      case RevokeOp r -> evaluateRevoke(r, b);
      case CompactOp c -> {
        if (c.revision() <= b.compactRevision) {
          throw new CompactedException(c.revision(), b.compactRevision);
        }
        if (c.revision() > b.revision) {
          throw new FutureRevisionException(c.revision(), b.revision);
        }
        b.compact(c.revision());
        b.completions.add(() -> c.future().complete(c.revision()));
      }
      case Stop s -> throw new IllegalStateException("stop is handled by the loop");
    }
  }

  private void evaluateTxn(TxnOp op, Batch b) throws RocksDBException {
    Txn txn = op.txn();
    String key = txn.key();
    KvRecord cur = b.current(key);
    long expected = txn.expectedModRevision();
    boolean holds =
        expected == Txn.ANY
            || (expected == 0 ? cur == null : cur != null && cur.modRevision() == expected);
    KeyValue curKv = Batch.kv(key, cur);
    if (!holds) {
      TxnResult r = new TxnResult(false, b.revision, curKv, null);
      b.completions.add(() -> op.future().complete(r));
      return;
    }
    TxnResult r =
        switch (txn.op()) {
          case Txn.Put put -> {
            if (put.lease() != 0 && !leases.exists(put.lease())) {
              throw new LeaseNotFoundException(put.lease());
            }
            KvRecord next = b.put(key, put.value(), put.lease(), cur);
            yield new TxnResult(true, next.modRevision(), next.toKeyValue(key), curKv);
          }
          case Txn.Delete d ->
              cur == null
                  ? new TxnResult(true, b.revision, null, null)
                  : new TxnResult(true, b.delete(key, cur), null, curKv);
        };
    b.completions.add(() -> op.future().complete(r));
  }

  private void evaluateRevoke(RevokeOp op, Batch b) throws RocksDBException {
    long id = op.leaseId();
    if (op.onlyIfExpired() && !leases.isExpired(id)) {
      leases.unclaim(id);
      b.completions.add(() -> op.future().complete(null));
      return;
    }
    if (!leases.exists(id)) {
      throw new LeaseNotFoundException(id);
    }
    // Each attached key is deleted at its own revision, like any other delete.
    for (String key : leases.keys(id)) {
      KvRecord cur = b.current(key);
      if (cur != null && cur.lease() == id) {
        b.delete(key, cur);
      }
    }
    b.removeLease(id);
    b.completions.add(() -> op.future().complete(null));
  }

  private static void fail(Op op, StoreException e) {
    switch (op) {
      case TxnOp t -> t.future().completeExceptionally(e);
      case GrantOp g -> g.future().completeExceptionally(e);
      case RevokeOp r -> r.future().completeExceptionally(e);
      case CompactOp c -> c.future().completeExceptionally(e);
      case Stop s -> {}
    }
  }

  private static StoreUnavailableException closedError() {
    return new StoreUnavailableException("the RocksDB store is closed");
  }
}
