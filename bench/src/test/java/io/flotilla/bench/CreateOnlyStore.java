package io.flotilla.bench;

import io.flotilla.store.InvalidRequestException;
import io.flotilla.store.KeyValue;
import io.flotilla.store.Lease;
import io.flotilla.store.RangeRequest;
import io.flotilla.store.RangeResult;
import io.flotilla.store.Requests;
import io.flotilla.store.Store;
import io.flotilla.store.Txn;
import io.flotilla.store.TxnResult;
import io.flotilla.store.Watch;
import io.flotilla.store.WatchListener;
import io.flotilla.store.WatchRequest;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake {@link Store} that only knows create-if-absent, the one call the store benchmark makes;
 * every other call fails so that a benchmark that starts using one is noticed.
 */
final class CreateOnlyStore implements Store {
  final Map<String, byte[]> keys = new ConcurrentHashMap<>();
  private final AtomicLong revision = new AtomicLong(1);
  volatile boolean closed;

  @Override
  public synchronized CompletableFuture<TxnResult> txn(Txn txn) {
    Requests.check(txn);
    if (txn.expectedModRevision() != 0 || !(txn.op() instanceof Txn.Put put)) {
      return CompletableFuture.failedFuture(
          new InvalidRequestException("this fake only creates keys"));
    }
    if (keys.containsKey(txn.key())) {
      return CompletableFuture.completedFuture(new TxnResult(false, revision.get(), null, null));
    }
    keys.put(txn.key(), put.value());
    long rev = revision.incrementAndGet();
    return CompletableFuture.completedFuture(
        new TxnResult(true, rev, new KeyValue(txn.key(), put.value(), rev, rev, 1, 0), null));
  }

  @Override
  public CompletableFuture<RangeResult> range(RangeRequest request) {
    return unsupported();
  }

  @Override
  public Watch watch(WatchRequest request, WatchListener listener) {
    throw new UnsupportedOperationException("watch");
  }

  @Override
  public CompletableFuture<Long> currentRevision() {
    return CompletableFuture.completedFuture(revision.get());
  }

  @Override
  public CompletableFuture<Long> compact(long revision) {
    return unsupported();
  }

  @Override
  public CompletableFuture<Lease> grantLease(long ttlSeconds) {
    return unsupported();
  }

  @Override
  public CompletableFuture<Long> keepAlive(long leaseId) {
    return unsupported();
  }

  @Override
  public CompletableFuture<Void> revokeLease(long leaseId) {
    return unsupported();
  }

  @Override
  public void close() {
    closed = true;
  }

  private static <T> CompletableFuture<T> unsupported() {
    return CompletableFuture.failedFuture(
        new UnsupportedOperationException("not used by the store benchmark"));
  }
}
