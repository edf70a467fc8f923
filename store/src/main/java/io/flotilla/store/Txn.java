package io.flotilla.store;

/**
 * A compare-and-write on one key.
 *
 * <p>The compare is on the key's modRevision: {@link #ANY} skips the compare, {@code 0} means the
 * key must be absent (create-if-absent), a positive revision means the key must still be at that
 * modRevision (update- or delete-if-unchanged).
 *
 * @param key the key
 * @param expectedModRevision the compare, as above
 * @param op what to do when the compare holds
 */
public record Txn(String key, long expectedModRevision, Op op) {

  /** No compare: the operation always runs. */
  public static final long ANY = -1;

  /** What a transaction does when its compare holds. */
  public sealed interface Op permits Put, Delete {}

  /**
   * Write a value.
   *
   * @param value the new value, at most {@link Store#MAX_VALUE_BYTES}
   * @param lease the lease to attach the key to, 0 for none
   */
  public record Put(byte[] value, long lease) implements Op {}

  /** Delete the key. */
  public record Delete() implements Op {}

  public static Txn create(String key, byte[] value) {
    return new Txn(key, 0, new Put(value, 0));
  }

  public static Txn create(String key, byte[] value, long lease) {
    return new Txn(key, 0, new Put(value, lease));
  }

  public static Txn update(String key, byte[] value, long expectedModRevision) {
    return new Txn(key, expectedModRevision, new Put(value, 0));
  }

  public static Txn put(String key, byte[] value) {
    return new Txn(key, ANY, new Put(value, 0));
  }

  public static Txn delete(String key, long expectedModRevision) {
    return new Txn(key, expectedModRevision, new Delete());
  }

  public static Txn delete(String key) {
    return new Txn(key, ANY, new Delete());
  }
}
