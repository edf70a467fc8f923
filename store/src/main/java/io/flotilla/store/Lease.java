package io.flotilla.store;

/**
 * A granted lease.
 *
 * @param id the lease id, never 0
 * @param ttlSeconds its time to live
 */
public record Lease(long id, long ttlSeconds) {}
