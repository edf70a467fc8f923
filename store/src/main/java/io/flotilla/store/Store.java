package io.flotilla.store;

import java.util.concurrent.CompletableFuture;

/**
 * A key-value store with etcd v3 semantics: the single source of truth for cluster state.
 *
 * <p>Threading: every method is thread-safe and none blocks its caller on I/O; results arrive
 * through {@link CompletableFuture}s, which complete exceptionally with a {@link StoreException}
 * subclass (bad input with {@link InvalidRequestException}, a read below the compaction point with
 * {@link CompactedException}, a read above the current revision with {@link
 * FutureRevisionException}). Input is validated before anything is written: a rejected request
 * changes nothing.
 *
 * <p>Revisions: the store has one global revision that starts at 1 for an empty store and rises by
 * exactly one for every write (a put, or a delete that removed a key). Each key carries the
 * revision that created it, the revision that last modified it, and a version counting its writes
 * since creation.
 *
 * <p>Durability: a write whose future has completed is durable; killing the process afterwards does
 * not lose it.
 */
public interface Store extends AutoCloseable {

  /** The largest value a put accepts, in bytes (etcd's default request limit). */
  int MAX_VALUE_BYTES = 1536 * 1024;

  /** The longest key accepted, in UTF-8 bytes. */
  int MAX_KEY_BYTES = 32 * 1024;

  /**
   * Reads keys: one key, or every key under a prefix in byte order, at the latest revision or at a
   * past one. See {@link RangeRequest}.
   */
  CompletableFuture<RangeResult> range(RangeRequest request);

  /** Reads one key at the latest revision; completes with {@code null} when it is absent. */
  default CompletableFuture<KeyValue> get(String key) {
    return range(RangeRequest.key(key))
        .thenApply(r -> r.kvs().isEmpty() ? null : r.kvs().getFirst());
  }

  /**
   * Runs one compare-and-write on one key atomically: the compare is on the key's modRevision (see
   * {@link Txn}); when it holds the operation runs, otherwise nothing is written and the result
   * carries the key's current value.
   */
  CompletableFuture<TxnResult> txn(Txn txn);

  /**
   * Watches a key or a prefix from a revision. Every change at or after the start revision is
   * delivered once, in revision order, with the previous value on updates and deletes. When the
   * start revision is below the compaction point the listener receives a {@link CompactedException}
   * and the watch ends. The returned handle cancels the watch; after {@code close()} returns no
   * more events are delivered.
   */
  Watch watch(WatchRequest request, WatchListener listener);

  /** The current revision: the revision of the latest write, 1 for an empty store. */
  CompletableFuture<Long> currentRevision();

  /**
   * Discards history at and below {@code revision}, keeping the latest version of every key. Reads
   * and watches from below the new compaction point then fail with {@link CompactedException}.
   * Completes with the compaction revision. Compacting at or below the current compaction point
   * fails with {@link CompactedException}; above the current revision with {@link
   * FutureRevisionException}.
   */
  CompletableFuture<Long> compact(long revision);

  /**
   * Grants a lease: keys put with its id are deleted (with watch events, like any delete) when it
   * expires, {@code ttlSeconds} after the grant or the last keep-alive.
   */
  CompletableFuture<Lease> grantLease(long ttlSeconds);

  /**
   * Renews a lease for its full TTL; completes with the TTL in seconds, or fails with {@link
   * LeaseNotFoundException} when it has expired or was revoked.
   */
  CompletableFuture<Long> keepAlive(long leaseId);

  /** Revokes a lease now, deleting its keys; fails with {@link LeaseNotFoundException}. */
  CompletableFuture<Void> revokeLease(long leaseId);

  /** Stops watches and releases resources. Writes already acknowledged stay durable. */
  @Override
  void close();
}
