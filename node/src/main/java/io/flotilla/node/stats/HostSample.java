package io.flotilla.node.stats;

import java.time.Instant;

/**
 * Node-wide figures read at one instant: cumulative CPU time, memory as {@code /proc/meminfo}
 * reports it, the node and image file systems, and process counts.
 *
 * <p>Memory follows kubelet, which takes the root cgroup's figures from cadvisor: usage is what is
 * not free, the working set is usage minus inactive file pages (reclaimable cache), and {@code
 * memory.available} (the eviction signal) is capacity minus the working set. This is stricter than
 * MemAvailable, which also counts active cache as available.
 *
 * @param cpuCoreNanoSeconds non-idle CPU time since boot, summed over cores
 * @param imageFs the runtime's image file system; the node file system when they are one
 * @param processes tasks (threads) now running, kubelet's {@code rlimit.curproc}
 * @param maxPids the kernel's limit, kubelet's {@code rlimit.maxpid}
 */
public record HostSample(
    Instant bootTime,
    long cpuCoreNanoSeconds,
    long memoryTotalBytes,
    long memoryFreeBytes,
    long memoryInactiveFileBytes,
    long memoryAnonBytes,
    FsFigures nodeFs,
    FsFigures imageFs,
    long processes,
    long maxPids) {

  public long memoryUsageBytes() {
    return Math.max(0, memoryTotalBytes - memoryFreeBytes);
  }

  public long memoryWorkingSetBytes() {
    return Math.max(0, memoryUsageBytes() - memoryInactiveFileBytes);
  }

  /** kubelet's {@code memory.available}: capacity minus working set. */
  public long memoryAvailableBytes() {
    return Math.max(0, memoryTotalBytes - memoryWorkingSetBytes());
  }
}
