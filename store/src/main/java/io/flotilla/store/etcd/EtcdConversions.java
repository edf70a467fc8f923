package io.flotilla.store.etcd;

import io.etcd.jetcd.ByteSequence;
import io.flotilla.store.KeyValue;
import io.flotilla.store.Requests;
import io.flotilla.store.WatchEvent;
import java.nio.charset.StandardCharsets;

/** Conversions between the Store SPI's values and jetcd's. Stateless. */
final class EtcdConversions {
  private EtcdConversions() {}

  static ByteSequence bytes(String key) {
    return ByteSequence.from(key, StandardCharsets.UTF_8);
  }

  /** The exclusive end of the range of keys under {@code prefix}. */
  static ByteSequence prefixEnd(String prefix) {
    return ByteSequence.from(Requests.prefixEnd(prefix.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The key-value, or null when jetcd hands over an empty placeholder: jetcd wraps an absent
   * protobuf field (no previous value) as a key-value whose modRevision is 0, which no real key
   * has.
   */
  static KeyValue keyValue(io.etcd.jetcd.KeyValue kv) {
    if (kv == null || kv.getModRevision() == 0) {
      return null;
    }
    return new KeyValue(
        kv.getKey().toString(StandardCharsets.UTF_8),
        kv.getValue().getBytes(),
        kv.getCreateRevision(),
        kv.getModRevision(),
        kv.getVersion(),
        kv.getLease());
  }

  static WatchEvent event(io.etcd.jetcd.watch.WatchEvent e) {
    WatchEvent.Type type =
        switch (e.getEventType()) {
          case PUT -> WatchEvent.Type.PUT;
          case DELETE -> WatchEvent.Type.DELETE;
          case UNRECOGNIZED ->
              throw new IllegalStateException("etcd sent a watch event of unknown type");
        };
    io.etcd.jetcd.KeyValue kv = e.getKeyValue();
    KeyValue after =
        type == WatchEvent.Type.DELETE
            // etcd reports a delete as the key with its deleting revision and nothing else.
            ? new KeyValue(
                kv.getKey().toString(StandardCharsets.UTF_8),
                new byte[0],
                0,
                kv.getModRevision(),
                0,
                0)
            : keyValue(kv);
    return new WatchEvent(type, after, keyValue(e.getPrevKV()));
  }
}
