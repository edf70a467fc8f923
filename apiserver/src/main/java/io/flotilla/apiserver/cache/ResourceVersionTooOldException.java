package io.flotilla.apiserver.cache;

/**
 * A watch asked for events after a resourceVersion that has left the cache's event window; the
 * client must relist. Maps to HTTP 410 Gone, reason Expired, like kube-apiserver.
 */
public class ResourceVersionTooOldException extends RuntimeException {
  private final long requested;
  private final long oldest;

  public ResourceVersionTooOldException(long requested, long oldest) {
    super("too old resource version: %d (%d)".formatted(requested, oldest));
    this.requested = requested;
    this.oldest = oldest;
  }

  public long requested() {
    return requested;
  }

  /** The oldest resourceVersion a watch can still resume from. */
  public long oldest() {
    return oldest;
  }
}
