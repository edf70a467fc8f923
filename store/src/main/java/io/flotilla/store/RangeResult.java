package io.flotilla.store;

import java.util.List;

/**
 * What a range read found.
 *
 * @param kvs the key-values in key byte order, at most {@code limit} of them
 * @param more whether keys beyond the limit remain in the range
 * @param count how many keys the whole range holds (from {@code fromKey} on, ignoring the limit)
 * @param revision the revision the read was served at: the requested one for a read at a past
 *     revision, the current one for a latest read
 */
public record RangeResult(List<KeyValue> kvs, boolean more, long count, long revision) {
  public RangeResult {
    kvs = List.copyOf(kvs);
  }
}
