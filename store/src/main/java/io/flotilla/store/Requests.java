package io.flotilla.store;

import java.nio.charset.StandardCharsets;

/**
 * Checks of input that every {@link Store} applies before it touches anything, so that both
 * implementations reject the same requests with the same messages.
 */
public final class Requests {
  private Requests() {}

  public static void checkKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new InvalidRequestException("key must not be empty");
    }
    int bytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > Store.MAX_KEY_BYTES) {
      throw new InvalidRequestException(
          "key is %d bytes, over the limit of %d".formatted(bytes, Store.MAX_KEY_BYTES));
    }
  }

  public static void check(RangeRequest r) {
    if (r == null) {
      throw new InvalidRequestException("range request must not be null");
    }
    checkKey(r.key());
    if (r.limit() < 0) {
      throw new InvalidRequestException("limit must not be negative, got " + r.limit());
    }
    if (r.revision() < 0) {
      throw new InvalidRequestException("revision must not be negative, got " + r.revision());
    }
    if (r.fromKey() != null) {
      if (!r.prefix()) {
        throw new InvalidRequestException("fromKey is only valid with a prefix range");
      }
      if (!r.fromKey().startsWith(r.key())) {
        throw new InvalidRequestException(
            "fromKey %s does not lie under the prefix %s".formatted(r.fromKey(), r.key()));
      }
    }
  }

  public static void check(Txn t) {
    if (t == null || t.op() == null) {
      throw new InvalidRequestException("transaction and its operation must not be null");
    }
    checkKey(t.key());
    if (t.expectedModRevision() < Txn.ANY) {
      throw new InvalidRequestException(
          "expectedModRevision must be ANY (-1), 0 or a revision, got " + t.expectedModRevision());
    }
    if (t.op() instanceof Txn.Put put) {
      if (put.value() == null) {
        throw new InvalidRequestException("value must not be null");
      }
      if (put.value().length > Store.MAX_VALUE_BYTES) {
        throw new InvalidRequestException(
            "value for %s is %d bytes, over the limit of %d bytes"
                .formatted(t.key(), put.value().length, Store.MAX_VALUE_BYTES));
      }
      if (put.lease() < 0) {
        throw new InvalidRequestException("lease id must not be negative, got " + put.lease());
      }
    }
  }

  public static void check(WatchRequest w) {
    if (w == null) {
      throw new InvalidRequestException("watch request must not be null");
    }
    checkKey(w.key());
    if (w.startRevision() < 0) {
      throw new InvalidRequestException(
          "start revision must not be negative, got " + w.startRevision());
    }
  }

  public static void checkTtl(long ttlSeconds) {
    if (ttlSeconds <= 0) {
      throw new InvalidRequestException("lease TTL must be positive, got " + ttlSeconds);
    }
  }

  /** The exclusive end of a prefix range in etcd's terms, as a string of the next key. */
  public static byte[] prefixEnd(byte[] prefix) {
    byte[] end = prefix.clone();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return java.util.Arrays.copyOf(end, i + 1);
      }
    }
    return new byte[] {0};
  }
}
