package io.flotilla.store;

/**
 * What a transaction did.
 *
 * @param succeeded whether the compare held and the operation ran (the success branch)
 * @param revision the store revision after the transaction: the new revision when it wrote, the
 *     current one otherwise (a delete of an absent key writes nothing)
 * @param kv on success of a put, the key as written; on failure, the key's current value (null when
 *     absent); null otherwise
 * @param prevKv on success, the key's value before the transaction (null when it was absent)
 */
public record TxnResult(boolean succeeded, long revision, KeyValue kv, KeyValue prevKv) {}
