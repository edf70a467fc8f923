package io.flotilla.apiserver.cache;

/**
 * A read asked for a resourceVersion the cache did not reach in time. Maps to HTTP 504 with reason
 * Timeout and a Retry-After, like kube-apiserver's "Too large resource version".
 */
public class TooLargeResourceVersionException extends RuntimeException {
  private final long requested;
  private final long current;

  public TooLargeResourceVersionException(long requested, long current) {
    super("Too large resource version: %d, current: %d".formatted(requested, current));
    this.requested = requested;
    this.current = current;
  }

  public long requested() {
    return requested;
  }

  public long current() {
    return current;
  }
}
