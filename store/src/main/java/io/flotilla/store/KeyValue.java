package io.flotilla.store;

import java.nio.charset.StandardCharsets;

/**
 * One version of a key, as etcd reports it.
 *
 * @param key the key
 * @param value the value; empty for the key of a delete event
 * @param createRevision the revision that created this generation of the key
 * @param modRevision the revision of this version (for a delete event: the deleting revision)
 * @param version writes to this generation of the key, 1 at creation; 0 in a delete event
 * @param lease the id of the lease the key is attached to, 0 for none
 */
public record KeyValue(
    String key, byte[] value, long createRevision, long modRevision, long version, long lease) {

  public KeyValue {
    if (key == null) {
      throw new IllegalArgumentException("key must not be null");
    }
    if (value == null) {
      value = new byte[0];
    }
  }

  /** The value decoded as UTF-8, for tests and messages. */
  public String valueAsString() {
    return new String(value, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyValue kv
        && key.equals(kv.key)
        && java.util.Arrays.equals(value, kv.value)
        && createRevision == kv.createRevision
        && modRevision == kv.modRevision
        && version == kv.version
        && lease == kv.lease;
  }

  @Override
  public int hashCode() {
    return key.hashCode() * 31 + Long.hashCode(modRevision);
  }

  @Override
  public String toString() {
    return "KeyValue[key=%s, value=%d bytes, createRevision=%d, modRevision=%d, version=%d, lease=%d]"
        .formatted(key, value.length, createRevision, modRevision, version, lease);
  }
}
