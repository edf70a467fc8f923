package io.flotilla.store.etcd;

import io.etcd.jetcd.common.exception.ClosedClientException;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.flotilla.store.CompactedException;
import io.flotilla.store.FutureRevisionException;
import io.flotilla.store.InvalidRequestException;
import io.flotilla.store.LeaseNotFoundException;
import io.flotilla.store.StoreException;
import io.flotilla.store.StoreUnavailableException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns what jetcd reports into the Store SPI's exceptions.
 *
 * <p>etcd tells compaction and future revisions apart only by message text (both are gRPC
 * OUT_OF_RANGE), and jetcd passes the text through, so the mapping matches on etcd's own wording.
 */
final class EtcdErrors {
  private EtcdErrors() {}

  static final String COMPACTED = "required revision has been compacted";
  static final String FUTURE = "required revision is a future revision";
  static final String LEASE_NOT_FOUND = "requested lease not found";
  static final String TOO_LARGE = "request is too large";

  /** Codes after which retrying cannot help, so a watch ends instead of reconnecting. */
  private static final Set<ErrorCode> FINAL_CODES =
      Set.of(
          ErrorCode.INVALID_ARGUMENT,
          ErrorCode.PERMISSION_DENIED,
          ErrorCode.UNAUTHENTICATED,
          ErrorCode.UNIMPLEMENTED,
          ErrorCode.OUT_OF_RANGE);

  /**
   * The SPI exception for a failed request.
   *
   * @param revision the revision the request named (for the compaction and future messages)
   * @param leaseId the lease the request named, 0 for none
   */
  static StoreException translate(
      Throwable failure, List<java.net.URI> endpoints, long revision, long leaseId) {
    Throwable t = unwrap(failure);
    if (t instanceof StoreException se) {
      return se;
    }
    if (t instanceof io.etcd.jetcd.common.exception.CompactedException ce) {
      return new CompactedException(revision, ce.getCompactedRevision());
    }
    if (t instanceof java.util.concurrent.TimeoutException) {
      return unavailable(endpoints, t);
    }
    if (t instanceof ClosedClientException) {
      return new StoreUnavailableException("the etcd store is closed", t);
    }
    String message = String.valueOf(t.getMessage());
    if (message.contains(COMPACTED)) {
      return new CompactedException(revision, -1);
    }
    if (message.contains(FUTURE)) {
      return new FutureRevisionException(revision, -1);
    }
    if (message.contains(LEASE_NOT_FOUND)) {
      return new LeaseNotFoundException(leaseId);
    }
    if (message.contains(TOO_LARGE)) {
      return new InvalidRequestException("etcd rejected the request as too large: " + message);
    }
    if (t instanceof EtcdException ee
        && (ee.getErrorCode() == ErrorCode.UNAVAILABLE
            || ee.getErrorCode() == ErrorCode.DEADLINE_EXCEEDED)) {
      return unavailable(endpoints, t);
    }
    return new StoreException("etcd request failed: " + message, t);
  }

  static StoreUnavailableException unavailable(List<java.net.URI> endpoints, Throwable cause) {
    return new StoreUnavailableException(
        ("cannot reach etcd at %s (%s): check that etcd runs there (Debian package etcd-server)"
                + " and that the endpoints are right")
            .formatted(endpoints, unwrap(cause).getMessage()),
        cause);
  }

  /** Whether a watch that failed with {@code failure} may reconnect and resume. */
  static boolean isRetryable(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof ClosedClientException
        || t instanceof io.etcd.jetcd.common.exception.CompactedException) {
      return false;
    }
    String message = String.valueOf(t.getMessage());
    if (message.contains(COMPACTED) || message.contains(FUTURE)) {
      return false;
    }
    return !(t instanceof EtcdException ee) || !FINAL_CODES.contains(ee.getErrorCode());
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
