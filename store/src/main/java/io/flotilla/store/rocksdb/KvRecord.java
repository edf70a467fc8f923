package io.flotilla.store.rocksdb;

import io.flotilla.store.KeyValue;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The current state of one key, as stored in the {@code kv} column family.
 *
 * <p>Encoding: createRevision, modRevision, version, lease (8 bytes each, big-endian), then the
 * value.
 */
record KvRecord(byte[] value, long createRevision, long modRevision, long version, long lease) {
  private static final int HEADER = 32;

  byte[] encode() {
    return ByteBuffer.allocate(HEADER + value.length)
        .putLong(createRevision)
        .putLong(modRevision)
        .putLong(version)
        .putLong(lease)
        .put(value)
        .array();
  }

  static KvRecord decode(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    long create = b.getLong();
    long mod = b.getLong();
    long version = b.getLong();
    long lease = b.getLong();
    return new KvRecord(
        Arrays.copyOfRange(bytes, HEADER, bytes.length), create, mod, version, lease);
  }

  KeyValue toKeyValue(String key) {
    return new KeyValue(key, value, createRevision, modRevision, version, lease);
  }
}
