package io.flotilla.store;

/** The requested revision has been compacted away. */
public class CompactedException extends StoreException {
  private final long requestedRevision;
  private final long compactRevision;

  public CompactedException(long requestedRevision, long compactRevision) {
    super(
        "revision %d has been compacted (compaction point %d): read or watch from a later revision"
            .formatted(requestedRevision, compactRevision));
    this.requestedRevision = requestedRevision;
    this.compactRevision = compactRevision;
  }

  public long requestedRevision() {
    return requestedRevision;
  }

  /** The compaction point; -1 when the store does not say. */
  public long compactRevision() {
    return compactRevision;
  }
}
