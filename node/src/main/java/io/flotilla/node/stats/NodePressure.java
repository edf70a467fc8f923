package io.flotilla.node.stats;

import java.util.List;

/**
 * The node's pressure conditions from its figures, as kubelet's eviction manager derives them from
 * its hard eviction thresholds: MemoryPressure when {@code memory.available} is under its
 * threshold, DiskPressure when {@code nodefs.available} or {@code imagefs.available} is,
 * PIDPressure when {@code pid.available} (max pids minus running tasks) is. Reasons and messages
 * are kubelet's.
 *
 * <p>A pure function; the caller keeps transition times.
 */
public final class NodePressure {
  private NodePressure() {}

  /**
   * Hard thresholds. {@link #KUBELET_DEFAULTS}: kubelet's Linux defaults ({@code
   * memory.available<100Mi}, {@code nodefs.available<10%}, {@code imagefs.available<15%}) plus
   * {@code pid.available<10%} — kubelet has no default PID threshold (PIDPressure is never True
   * until one is configured); Flotilla sets one so a fork bomb shows.
   */
  public record Thresholds(
      long memoryAvailableBytes,
      double nodeFsAvailableFraction,
      double imageFsAvailableFraction,
      double pidAvailableFraction) {
    public static final Thresholds KUBELET_DEFAULTS = new Thresholds(100L << 20, 0.10, 0.15, 0.10);
  }

  /** One node condition as kubelet writes it. */
  public record Condition(String type, String status, String reason, String message) {
    public boolean isTrue() {
      return "True".equals(status);
    }
  }

  public static final String MEMORY = "MemoryPressure";
  public static final String DISK = "DiskPressure";
  public static final String PID = "PIDPressure";

  /** MemoryPressure, DiskPressure and PIDPressure, in that order. */
  public static List<Condition> evaluate(HostSample host, Thresholds t) {
    boolean memory = host.memoryAvailableBytes() < t.memoryAvailableBytes();
    boolean disk =
        host.nodeFs().availableFraction() < t.nodeFsAvailableFraction()
            || host.imageFs().availableFraction() < t.imageFsAvailableFraction();
    boolean pid =
        host.maxPids() > 0
            && (double) (host.maxPids() - host.processes()) / host.maxPids()
                < t.pidAvailableFraction();
    return List.of(
        memory
            ? new Condition(
                MEMORY,
                "True",
                "KubeletHasInsufficientMemory",
                "kubelet has insufficient memory available")
            : new Condition(
                MEMORY,
                "False",
                "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available"),
        disk
            ? new Condition(DISK, "True", "KubeletHasDiskPressure", "kubelet has disk pressure")
            : new Condition(
                DISK, "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        pid
            ? new Condition(
                PID, "True", "KubeletHasInsufficientPID", "kubelet has insufficient PID available")
            : new Condition(
                PID, "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"));
  }
}
