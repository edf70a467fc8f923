package io.flotilla.node.stats;

/** A file system's size and free space, in bytes (Summary API FsStats, reduced). */
public record FsFigures(long capacityBytes, long availableBytes, long usedBytes) {
  /** Available space as a fraction of capacity; 1 when the capacity is unknown. */
  public double availableFraction() {
    return capacityBytes <= 0 ? 1.0 : (double) availableBytes / capacityBytes;
  }
}
