package io.flotilla.store.rocksdb;

import io.flotilla.store.KeyValue;
import io.flotilla.store.WatchEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One change in the {@code log} column family, stored under its revision (8 bytes big-endian, so
 * byte order is revision order).
 *
 * <p>Encoding: type (1 byte: 0 put, 1 delete), createRevision, version, lease, prevModRevision (8
 * bytes each), key length (4 bytes), key (UTF-8), value. {@code prevModRevision} points at the log
 * entry of the version this change replaced (0 for a create): that is how past states and the
 * {@code prevKv} of events are found without storing values twice per change.
 *
 * @param revision the revision of the change
 * @param type put or delete
 * @param key the key
 * @param value the value written; empty for a delete
 * @param createRevision the creation revision of the key's generation; 0 for a delete
 * @param version the key's version after a put; 0 for a delete
 * @param lease the lease of a put, else 0
 * @param prevModRevision the modRevision of the replaced version, 0 when the key was absent
 */
record LogEntry(
    long revision,
    WatchEvent.Type type,
    String key,
    byte[] value,
    long createRevision,
    long version,
    long lease,
    long prevModRevision) {
  private static final int HEADER = 1 + 8 * 4 + 4;

  static LogEntry put(long revision, String key, KvRecord rec, long prevModRevision) {
    return new LogEntry(
        revision,
        WatchEvent.Type.PUT,
        key,
        rec.value(),
        rec.createRevision(),
        rec.version(),
        rec.lease(),
        prevModRevision);
  }

  static LogEntry delete(long revision, String key, long prevModRevision) {
    return new LogEntry(
        revision, WatchEvent.Type.DELETE, key, new byte[0], 0, 0, 0, prevModRevision);
  }

  byte[] encode() {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(HEADER + k.length + value.length)
        .put((byte) (type == WatchEvent.Type.PUT ? 0 : 1))
        .putLong(createRevision)
        .putLong(version)
        .putLong(lease)
        .putLong(prevModRevision)
        .putInt(k.length)
        .put(k)
        .put(value)
        .array();
  }

  static LogEntry decode(long revision, byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    WatchEvent.Type type = b.get() == 0 ? WatchEvent.Type.PUT : WatchEvent.Type.DELETE;
    long create = b.getLong();
    long version = b.getLong();
    long lease = b.getLong();
    long prev = b.getLong();
    int keyLength = b.getInt();
    String key = new String(bytes, HEADER, keyLength, StandardCharsets.UTF_8);
    byte[] value = Arrays.copyOfRange(bytes, HEADER + keyLength, bytes.length);
    return new LogEntry(revision, type, key, value, create, version, lease, prev);
  }

  /** The key alone, without copying the value: scans filter on it before decoding the rest. */
  static String decodeKey(byte[] bytes) {
    int keyLength = ByteBuffer.wrap(bytes, HEADER - 4, 4).getInt();
    return new String(bytes, HEADER, keyLength, StandardCharsets.UTF_8);
  }

  static boolean isDelete(byte[] bytes) {
    return bytes[0] == 1;
  }

  /** The key as this change left it; for a delete, etcd's tombstone shape. */
  KeyValue toKeyValue() {
    return type == WatchEvent.Type.PUT
        ? new KeyValue(key, value, createRevision, revision, version, lease)
        : new KeyValue(key, new byte[0], 0, revision, 0, 0);
  }
}
