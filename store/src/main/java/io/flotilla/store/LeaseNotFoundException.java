package io.flotilla.store;

/** The lease does not exist: never granted, expired or revoked. */
public class LeaseNotFoundException extends StoreException {
  public LeaseNotFoundException(long leaseId) {
    super("lease %d not found: it expired or was revoked; grant a new one".formatted(leaseId));
  }
}
