package io.flotilla.store;

import java.util.List;

/**
 * What a range read found.
 *
 * @param kvs the key-values in key byte order, at most {@code limit} of them
 * @param more whether keys beyond the limit remain in the range
 * @param count how many keys the whole range holds (from {@code fromKey} on, ignoring the limit)
 * @param revision the store's current revision when the read was served (etcd's header revision),
 *     also for a read at a past revision: the caller knows the revision it asked for
 */
public record RangeResult(List<KeyValue> kvs, boolean more, long count, long revision) {
  public RangeResult {
    kvs = List.copyOf(kvs);
  }
}
