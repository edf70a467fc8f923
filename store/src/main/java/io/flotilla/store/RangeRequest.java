package io.flotilla.store;

/**
 * What to read.
 *
 * @param key the key, or the prefix when {@code prefix} is set
 * @param prefix whether {@code key} is a prefix
 * @param fromKey with a prefix: start at this key (inclusive) instead of the first key under the
 *     prefix; the continuation of a paginated read. Null for none. Must lie under the prefix.
 * @param limit the most keys to return; 0 for no limit; negative is invalid
 * @param revision the revision to read at; 0 for the latest. Below the compaction point fails with
 *     {@link CompactedException}, above the current revision with {@link FutureRevisionException}.
 * @param countOnly return only the count, no key-values
 */
public record RangeRequest(
    String key, boolean prefix, String fromKey, long limit, long revision, boolean countOnly) {

  /** One key, latest revision. */
  public static RangeRequest key(String key) {
    return new RangeRequest(key, false, null, 0, 0, false);
  }

  /** Every key under a prefix, latest revision. */
  public static RangeRequest prefix(String prefix) {
    return new RangeRequest(prefix, true, null, 0, 0, false);
  }

  public RangeRequest withLimit(long limit) {
    return new RangeRequest(key, prefix, fromKey, limit, revision, countOnly);
  }

  public RangeRequest withFromKey(String fromKey) {
    return new RangeRequest(key, prefix, fromKey, limit, revision, countOnly);
  }

  public RangeRequest atRevision(long revision) {
    return new RangeRequest(key, prefix, fromKey, limit, revision, countOnly);
  }

  public RangeRequest withCountOnly() {
    return new RangeRequest(key, prefix, fromKey, limit, revision, true);
  }
}
