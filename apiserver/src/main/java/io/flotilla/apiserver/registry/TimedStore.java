package io.flotilla.apiserver.registry;

import io.flotilla.store.Lease;
import io.flotilla.store.RangeRequest;
import io.flotilla.store.RangeResult;
import io.flotilla.store.Store;
import io.flotilla.store.Txn;
import io.flotilla.store.TxnResult;
import io.flotilla.store.Watch;
import io.flotilla.store.WatchListener;
import io.flotilla.store.WatchRequest;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** A Store that reports the latency of every range and transaction; otherwise the Store itself. */
public final class TimedStore implements Store {
  private final Store delegate;
  private final BiConsumer<String, Long> observer;

  /**
   * @param observer called with the operation ("range", "txn") and its duration in nanoseconds
   */
  public TimedStore(Store delegate, BiConsumer<String, Long> observer) {
    this.delegate = delegate;
    this.observer = observer;
  }

  private <T> CompletableFuture<T> timed(String op, CompletableFuture<T> f, long start) {
    return f.whenComplete((r, e) -> observer.accept(op, System.nanoTime() - start));
  }

  @Override
  public CompletableFuture<RangeResult> range(RangeRequest request) {
    return timed("range", delegate.range(request), System.nanoTime());
  }

  @Override
  public CompletableFuture<TxnResult> txn(Txn txn) {
    return timed("txn", delegate.txn(txn), System.nanoTime());
  }

  @Override
  public Watch watch(WatchRequest request, WatchListener listener) {
    return delegate.watch(request, listener);
  }

  @Override
  public CompletableFuture<Long> currentRevision() {
    return delegate.currentRevision();
  }

  @Override
  public CompletableFuture<Long> compact(long revision) {
    return delegate.compact(revision);
  }

  @Override
  public CompletableFuture<Lease> grantLease(long ttlSeconds) {
    return delegate.grantLease(ttlSeconds);
  }

  @Override
  public CompletableFuture<Long> keepAlive(long leaseId) {
    return delegate.keepAlive(leaseId);
  }

  @Override
  public CompletableFuture<Void> revokeLease(long leaseId) {
    return delegate.revokeLease(leaseId);
  }

  /** The server does not own the store: closing is the caller's. */
  @Override
  public void close() {}
}
