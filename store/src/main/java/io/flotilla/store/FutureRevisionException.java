package io.flotilla.store;

/** The requested revision is above the store's current revision. */
public class FutureRevisionException extends StoreException {
  private final long requestedRevision;
  private final long currentRevision;

  public FutureRevisionException(long requestedRevision, long currentRevision) {
    super(
        "revision %d is in the future: the current revision is %d"
            .formatted(requestedRevision, currentRevision));
    this.requestedRevision = requestedRevision;
    this.currentRevision = currentRevision;
  }

  public long requestedRevision() {
    return requestedRevision;
  }

  /** The store's current revision; -1 when the store does not say. */
  public long currentRevision() {
    return currentRevision;
  }
}
