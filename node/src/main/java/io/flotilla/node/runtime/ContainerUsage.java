package io.flotilla.node.runtime;

/**
 * One running container's resource usage as the runtime measures it (CRI ContainerStats, reduced):
 * cumulative CPU time since the container started, in core-nanoseconds, and current memory. Rates
 * (nanocores) are computed by the caller from two samples, as kubelet does with cadvisor's.
 *
 * @param containerId the runtime's container id
 * @param sandboxId the sandbox the container runs in (its pod)
 * @param name the container's name in the pod spec
 * @param cpuCoreNanoSeconds CPU time used so far, summed over cores
 * @param memoryWorkingSetBytes memory the container cannot do without (kubelet's working set)
 * @param memoryRssBytes anonymous and swap-cache memory; 0 when unknown
 */
public record ContainerUsage(
    String containerId,
    String sandboxId,
    String name,
    long cpuCoreNanoSeconds,
    long memoryWorkingSetBytes,
    long memoryRssBytes) {}
