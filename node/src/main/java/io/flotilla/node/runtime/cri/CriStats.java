package io.flotilla.node.runtime.cri;

import io.flotilla.node.runtime.ContainerUsage;
import io.flotilla.node.runtime.cri.v1.Container;
import io.flotilla.node.runtime.cri.v1.ContainerFilter;
import io.flotilla.node.runtime.cri.v1.ContainerStats;
import io.flotilla.node.runtime.cri.v1.ContainerStatsFilter;
import io.flotilla.node.runtime.cri.v1.FilesystemUsage;
import io.flotilla.node.stats.FsFigures;
import io.flotilla.node.stats.ProcHost;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Runtime SPI's {@code containerStats()} for containerd (CRI ListContainerStats, which reads
 * each container's cgroup) and the image file system for the Summary API (CRI ImageFsInfo: the
 * bytes the image layers use on the mount point that holds them). {@code CriRuntime} delegates to
 * it.
 *
 * <p>Threading: stateless; safe from any thread (calls block for the CRI round trip).
 */
public final class CriStats {
  private final CriClient cri;

  public CriStats(CriClient cri) {
    this.cri = cri;
  }

  /**
   * Usage of every container containerd measures; a container that has exited has none. Stats name
   * no sandbox, so they are joined with ListContainers by id, as kubelet's CRI stats provider does.
   */
  public List<ContainerUsage> containerStats() {
    Map<String, String> sandboxOf = new HashMap<>();
    for (Container c : cri.listContainers(ContainerFilter.getDefaultInstance())) {
      sandboxOf.put(c.getId(), c.getPodSandboxId());
    }
    return cri.listContainerStats(ContainerStatsFilter.getDefaultInstance()).stream()
        .filter(s -> s.hasCpu() && s.getCpu().hasUsageCoreNanoSeconds())
        .filter(s -> sandboxOf.containsKey(s.getAttributes().getId()))
        .map(s -> usage(s, sandboxOf.get(s.getAttributes().getId())))
        .toList();
  }

  static ContainerUsage usage(ContainerStats s, String sandboxId) {
    return new ContainerUsage(
        s.getAttributes().getId(),
        sandboxId,
        s.getAttributes().getMetadata().getName(),
        s.getCpu().getUsageCoreNanoSeconds().getValue(),
        s.getMemory().getWorkingSetBytes().getValue(),
        s.getMemory().getRssBytes().getValue());
  }

  /**
   * This machine's figures for the Summary API with containerd's image file system: {@code /proc},
   * the file system of {@code dataDir} as nodefs, {@link #imageFs()} as imagefs.
   */
  public ProcHost host(Path dataDir) {
    return new ProcHost(Path.of("/proc"), dataDir, this::imageFs);
  }

  /**
   * The image file system: capacity and free space of the mount point containerd names, used bytes
   * as containerd counts them. Null when containerd reports none.
   */
  public FsFigures imageFs() {
    List<FilesystemUsage> fss = cri.imageFsInfo().getImageFilesystemsList();
    if (fss.isEmpty()) {
      return null;
    }
    FilesystemUsage fs = fss.get(0);
    try {
      FileStore store = Files.getFileStore(Path.of(fs.getFsId().getMountpoint()));
      return new FsFigures(
          store.getTotalSpace(), store.getUsableSpace(), fs.getUsedBytes().getValue());
    } catch (IOException e) {
      return null;
    }
  }
}
