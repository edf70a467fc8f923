package io.flotilla.store;

/**
 * One change seen by a watch.
 *
 * @param type a put (create or update) or a delete
 * @param kv the key after the change; for a delete, the key with an empty value, {@code
 *     modRevision} the deleting revision and version 0
 * @param prevKv the key before the change; null for a create
 */
public record WatchEvent(Type type, KeyValue kv, KeyValue prevKv) {

  public enum Type {
    PUT,
    DELETE
  }

  /** The revision of the change. */
  public long revision() {
    return kv.modRevision();
  }

  public boolean isCreate() {
    return type == Type.PUT && prevKv == null;
  }
}
