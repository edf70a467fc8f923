package io.flotilla.store.rocksdb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Byte layouts of the keys in the {@code log} and {@code meta} column families. */
final class Keys {
  private Keys() {}

  /** meta: the revision of the latest write (absent in an empty store: revision 1). */
  static final byte[] REVISION = ascii("revision");

  /** meta: the compaction point (absent: 0, never compacted). */
  static final byte[] COMPACT = ascii("compact");

  /** meta: the compaction point whose log deletions have all been written. */
  static final byte[] COMPACTED = ascii("compacted");

  /** meta prefix: a lease id (8 bytes) to its TTL in seconds. */
  static final byte[] LEASE = ascii("lease/");

  /** meta prefix: a lease id (8 bytes) followed by the key attached to it; empty value. */
  static final byte[] LEASE_KEY = ascii("leasekey/");

  static byte[] revision(long revision) {
    return ByteBuffer.allocate(8).putLong(revision).array();
  }

  static long toLong(byte[] bytes) {
    return ByteBuffer.wrap(bytes).getLong();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] lease(long id) {
    return ByteBuffer.allocate(LEASE.length + 8).put(LEASE).putLong(id).array();
  }

  static byte[] leaseKey(long id, byte[] key) {
    return ByteBuffer.allocate(LEASE_KEY.length + 8 + key.length)
        .put(LEASE_KEY)
        .putLong(id)
        .put(key)
        .array();
  }

  static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length
        && java.util.Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static String decodeUtf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
