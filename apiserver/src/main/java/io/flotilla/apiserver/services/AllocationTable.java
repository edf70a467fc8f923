package io.flotilla.apiserver.services;

import io.flotilla.store.KeyValue;
import io.flotilla.store.RangeRequest;
import io.flotilla.store.Store;
import io.flotilla.store.Txn;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongFunction;

/**
 * One allocation space (cluster IPs, or node ports) kept in the Store as one key per allocated
 * item, {@code <prefix><item>} → its {@link Owner}. Taking an item is a create-if-absent, so two
 * requests (or two apiservers on one store) can never both hold it; giving it back is a delete that
 * holds only while the key still names the same owner and is unchanged. Thread-safe and
 * non-blocking.
 */
final class AllocationTable {
  /** Random picks tried before falling back to a scan of what is taken. */
  private static final int RANDOM_TRIES = 8;

  private final Store store;
  private final String prefix;
  private final long candidates;
  private final long staticBand;
  private final LongFunction<String> item;

  /**
   * @param prefix the key prefix, ending in "/"
   * @param candidates how many items dynamic allocation picks from
   * @param staticBand how many of the first items random picks avoid while others are free, so that
   *     users who choose an item themselves rarely find it taken (upstream's KEP-3070 for cluster
   *     IPs and KEP-3668 for node ports)
   * @param item the item at an index in [0, candidates)
   */
  AllocationTable(
      Store store, String prefix, long candidates, long staticBand, LongFunction<String> item) {
    this.store = store;
    this.prefix = prefix;
    this.candidates = candidates;
    this.staticBand = staticBand < candidates ? staticBand : 0;
    this.item = item;
  }

  /**
   * Upstream's static band size: a {@code 1/step} share of the space, at least {@code min} and at
   * most {@code max}; none when the space is smaller than {@code min}.
   */
  static long staticBand(long size, long min, long max, long step) {
    if (size < min) {
      return 0;
    }
    return Math.min(max, Math.max(min, size / step));
  }

  /** A random index in the dynamic band (the items past the static band). */
  private long randomIndex() {
    return staticBand + ThreadLocalRandom.current().nextLong(candidates - staticBand);
  }

  String key(String item) {
    return prefix + item;
  }

  String prefix() {
    return prefix;
  }

  /** Takes an item; completes with false when someone holds it already. */
  CompletableFuture<Boolean> claim(String item, Owner owner) {
    return store.txn(Txn.create(key(item), owner.encode())).thenApply(r -> r.succeeded());
  }

  /** Who holds an item, or null when it is free. */
  CompletableFuture<Owner> holder(String item) {
    return store.get(key(item)).thenApply(kv -> kv == null ? null : Owner.decode(kv.value()));
  }

  /**
   * Takes any free item: a few random picks (cheap while the space is sparse), then a scan of the
   * taken ones from a random start. Completes with null when everything is taken.
   */
  CompletableFuture<String> claimAny(Owner owner) {
    return tryRandom(owner, RANDOM_TRIES);
  }

  /** A free item as of now, without taking it (for dry runs); null when none was found. */
  CompletableFuture<String> peekAny() {
    return peek(RANDOM_TRIES);
  }

  private CompletableFuture<String> peek(int triesLeft) {
    if (triesLeft == 0) {
      return CompletableFuture.completedFuture(null);
    }
    String candidate = item.apply(randomIndex());
    return holder(candidate)
        .thenCompose(
            h -> h == null ? CompletableFuture.completedFuture(candidate) : peek(triesLeft - 1));
  }

  private CompletableFuture<String> tryRandom(Owner owner, int triesLeft) {
    if (triesLeft == 0) {
      return scan(owner);
    }
    String candidate = item.apply(randomIndex());
    return claim(candidate, owner)
        .thenCompose(
            ok ->
                ok
                    ? CompletableFuture.completedFuture(candidate)
                    : tryRandom(owner, triesLeft - 1));
  }

  private CompletableFuture<String> scan(Owner owner) {
    return list()
        .thenCompose(
            taken -> {
              // The dynamic band from a random point round to that point, then the static band.
              long dynamic = candidates - staticBand;
              long start = ThreadLocalRandom.current().nextLong(dynamic);
              for (long i = 0; i < candidates; i++) {
                long index = i < dynamic ? staticBand + (start + i) % dynamic : i - dynamic;
                String c = item.apply(index);
                if (!taken.containsKey(c)) {
                  // Another request may take it first; then scan again with a fresh view.
                  return claim(c, owner)
                      .thenCompose(ok -> ok ? CompletableFuture.completedFuture(c) : scan(owner));
                }
              }
              return CompletableFuture.completedFuture(null);
            });
  }

  /** Gives an item back if {@code uid} still holds it. Completes with whether a key was deleted. */
  CompletableFuture<Boolean> release(String item, String uid) {
    return store
        .get(key(item))
        .thenCompose(
            kv -> {
              if (kv == null || !Owner.decode(kv.value()).uid().equals(uid)) {
                return CompletableFuture.completedFuture(false);
              }
              return store
                  .txn(Txn.delete(kv.key(), kv.modRevision()))
                  .thenApply(r -> r.succeeded());
            });
  }

  /** Deletes an entry only if it is unchanged since it was listed. */
  CompletableFuture<Boolean> releaseIfUnchanged(Entry e) {
    return store.txn(Txn.delete(key(e.item()), e.modRevision())).thenApply(r -> r.succeeded());
  }

  /** Everything taken, by item. */
  CompletableFuture<Map<String, Entry>> list() {
    return store
        .range(RangeRequest.prefix(prefix))
        .thenApply(
            r -> {
              Map<String, Entry> out = new LinkedHashMap<>();
              for (KeyValue kv : r.kvs()) {
                String it = kv.key().substring(prefix.length());
                out.put(it, new Entry(it, Owner.decode(kv.value()), kv.modRevision()));
              }
              return out;
            });
  }

  /** One allocation as listed. */
  record Entry(String item, Owner owner, long modRevision) {}
}
