package io.flotilla.node.runtime.cri;

import io.flotilla.node.runtime.ContainerConfig;
import io.flotilla.node.runtime.ContainerEvent;
import io.flotilla.node.runtime.ContainerStatus;
import io.flotilla.node.runtime.ContainerUsage;
import io.flotilla.node.runtime.ExecResult;
import io.flotilla.node.runtime.ImageService;
import io.flotilla.node.runtime.PodSandboxConfig;
import io.flotilla.node.runtime.PodSandboxStatus;
import io.flotilla.node.runtime.PortStream;
import io.flotilla.node.runtime.Runtime;
import io.flotilla.node.runtime.RuntimeVersion;
import io.flotilla.node.runtime.StreamOptions;
import io.flotilla.node.runtime.StreamSession;
import io.flotilla.node.runtime.cri.v1.Container;
import io.flotilla.node.runtime.cri.v1.ContainerFilter;
import io.flotilla.node.runtime.cri.v1.PodSandboxState;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The {@code cri} driver: the Runtime SPI over containerd's CRI v1 through {@link CriClient}.
 * Sandboxes join the CNI network of the node's pod CIDR (the conflist written by {@link
 * #updatePodCidr} when the runtime was given a CNI config directory); containers are created from
 * the SPI's config by {@link CriConfigs}; state comes from ListContainers plus ContainerStatus;
 * container events come from a 1 s relist ({@link CriRelister}, kubelet's PLEG), because containerd
 * 1.6 has no GetContainerEvents. Streaming (exec/attach/port-forward) is not here.
 *
 * <p>Threading: thread-safe; every call blocks on one CRI call or a few. The relister has its own
 * daemon thread, started with the first subscription. Exited containers' statuses are cached (they
 * no longer change) and dropped with the container.
 */
public final class CriRuntime implements Runtime {
  private final CriClient cri;
  private final CniSetup cni;
  private final CriImageService images;
  private final CriRelister relister;
  private final CriStreaming streaming;
  private final CriStats stats;
  private final Map<String, ContainerStatus> exited = new ConcurrentHashMap<>();
  private volatile RuntimeVersion version;

  /**
   * Where and how the node's CNI conflist is written when the pod CIDR is known.
   *
   * @param confDir containerd's CNI {@code conf_dir}
   * @param networkName the CNI network name
   * @param bridge the bridge device (at most 15 characters)
   * @param ipamDataDir host-local's allocation records
   */
  public record CniSetup(Path confDir, String networkName, String bridge, Path ipamDataDir) {}

  /**
   * A runtime over {@code cri}; with {@code cni} non-null, {@link #updatePodCidr} writes the bridge
   * conflist for the CIDR there. The client stays the caller's.
   */
  public CriRuntime(CriClient cri, CniSetup cni) {
    this.cri = cri;
    this.cni = cni;
    this.images = new CriImageService(cri);
    this.relister = new CriRelister(cri, Duration.ofSeconds(1));
    this.streaming = new CriStreaming(cri);
    this.stats = new CriStats(cri);
  }

  /** containerd's image file system (ImageFsInfo), for the node's imagefs figures. */
  public io.flotilla.node.stats.FsFigures imageFs() {
    return stats.imageFs();
  }

  /** The client this runtime talks through. */
  public CriClient client() {
    return cri;
  }

  @Override
  public RuntimeVersion version() {
    RuntimeVersion v = version;
    if (v == null) {
      var r = cri.version();
      v = new RuntimeVersion(r.getRuntimeName(), r.getRuntimeVersion());
      version = v;
    }
    return v;
  }

  @Override
  public void updatePodCidr(String podCidr) {
    if (cni != null) {
      new CniBridgeConfig(cni.networkName(), cni.bridge(), podCidr, cni.ipamDataDir())
          .write(cni.confDir());
    }
    cri.updatePodCidr(podCidr);
  }

  @Override
  public String runPodSandbox(PodSandboxConfig config) {
    if (!config.logDirectory().isEmpty()) {
      // kubelet creates the log directory; containerd only writes into it.
      mkdirs(Path.of(config.logDirectory()));
    }
    return cri.runPodSandbox(CriConfigs.sandbox(config));
  }

  @Override
  public void stopPodSandbox(String sandboxId) {
    ignoreNotFound(() -> cri.stopPodSandbox(sandboxId));
  }

  @Override
  public void removePodSandbox(String sandboxId) {
    ignoreNotFound(() -> cri.removePodSandbox(sandboxId));
    exited.values().removeIf(s -> s.sandboxId().equals(sandboxId));
  }

  @Override
  public PodSandboxStatus podSandboxStatus(String sandboxId) {
    io.flotilla.node.runtime.cri.v1.PodSandboxStatus s;
    try {
      s = cri.podSandboxStatus(sandboxId);
    } catch (CriException e) {
      if (e.isNotFound()) {
        return null;
      }
      throw e;
    }
    return new PodSandboxStatus(
        s.getId(),
        s.getMetadata().getName(),
        s.getMetadata().getNamespace(),
        s.getMetadata().getUid(),
        s.getState() == PodSandboxState.SANDBOX_READY
            ? PodSandboxStatus.State.READY
            : PodSandboxStatus.State.NOTREADY,
        s.getNetwork().getIp(),
        instant(s.getCreatedAt()));
  }

  @Override
  public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sb) {
    ImageService.Image image =
        config.securityContext().runAsNonRoot() && config.securityContext().runAsUser() == null
            ? images.imageStatus(config.image()).orElse(null)
            : null;
    var criConfig = CriConfigs.container(config, sb, image);
    if (!sb.logDirectory().isEmpty() && !config.logPath().isEmpty()) {
      Path parent = Path.of(sb.logDirectory()).resolve(config.logPath()).getParent();
      mkdirs(parent);
    }
    return cri.createContainer(sandboxId, criConfig, CriConfigs.sandbox(sb));
  }

  @Override
  public void startContainer(String containerId) {
    cri.startContainer(containerId);
  }

  @Override
  public void stopContainer(String containerId, Duration timeout) {
    ignoreNotFound(() -> cri.stopContainer(containerId, timeout));
  }

  @Override
  public void removeContainer(String containerId) {
    ignoreNotFound(() -> cri.removeContainer(containerId));
    exited.remove(containerId);
  }

  @Override
  public boolean supportsExec() {
    return true;
  }

  @Override
  public StreamSession exec(String containerId, List<String> command, StreamOptions options) {
    return streaming.exec(containerId, command, options);
  }

  @Override
  public StreamSession attach(String containerId, StreamOptions options) {
    return streaming.attach(containerId, options);
  }

  @Override
  public PortStream portForward(String sandboxId, int port) {
    return streaming.portForward(sandboxId, port);
  }

  @Override
  public List<ContainerUsage> containerStats() {
    return stats.containerStats();
  }

  @Override
  public ExecResult execSync(String containerId, List<String> command, Duration timeout) {
    try {
      var r = cri.execSync(containerId, command, timeout);
      return new ExecResult(r.exitCode(), r.stdoutText(), r.stderrText(), false);
    } catch (CriException e) {
      if (e.code() == Status.Code.DEADLINE_EXCEEDED
          || String.valueOf(e.getMessage()).contains("timeout")) {
        return new ExecResult(-1, "", "", true);
      }
      if (e.isNotFound()
          || e.code() == Status.Code.FAILED_PRECONDITION
          || String.valueOf(e.getMessage()).contains("not running")
          || String.valueOf(e.getMessage()).contains("stopped state")) {
        throw new IllegalStateException(
            "container " + containerId + " is not running: " + e.getMessage(), e);
      }
      throw e;
    }
  }

  @Override
  public List<ContainerStatus> listContainers(String sandboxId) {
    List<Container> found =
        cri.listContainers(ContainerFilter.newBuilder().setPodSandboxId(sandboxId).build());
    List<ContainerStatus> out = new ArrayList<>(found.size());
    for (Container c : found) {
      ContainerStatus cached = exited.get(c.getId());
      if (cached != null) {
        out.add(cached);
        continue;
      }
      ContainerStatus s;
      try {
        s = status(c, cri.containerStatus(c.getId()));
      } catch (CriException e) {
        if (e.isNotFound()) {
          continue; // removed between the two calls
        }
        throw e;
      }
      if (s.state() == ContainerStatus.State.EXITED) {
        exited.put(s.id(), s);
      }
      out.add(s);
    }
    out.sort(
        Comparator.comparingInt(ContainerStatus::attempt)
            .thenComparing(ContainerStatus::createdAt));
    return out;
  }

  @Override
  public AutoCloseable containerEvents(Consumer<ContainerEvent> listener) {
    return relister.subscribe(listener);
  }

  /** The images (ids and names) of every container containerd holds, for image GC. */
  public Set<String> imagesInUse() {
    Set<String> out = new HashSet<>();
    for (Container c : cri.listContainers(ContainerFilter.getDefaultInstance())) {
      out.add(c.getImageRef());
      out.add(c.getImage().getImage());
    }
    return out;
  }

  @Override
  public Optional<ImageService> imageService() {
    return Optional.of(images);
  }

  @Override
  public void close() {
    relister.close();
    streaming.close();
  }

  /** The SPI's view of one CRI container status. */
  static ContainerStatus status(Container c, io.flotilla.node.runtime.cri.v1.ContainerStatus s) {
    ContainerStatus.State state =
        switch (s.getState()) {
          case CONTAINER_CREATED -> ContainerStatus.State.CREATED;
          case CONTAINER_RUNNING -> ContainerStatus.State.RUNNING;
          case CONTAINER_EXITED -> ContainerStatus.State.EXITED;
          default -> ContainerStatus.State.UNKNOWN;
        };
    String imageRef = s.getImageRef().isEmpty() ? c.getImageRef() : s.getImageRef();
    return new ContainerStatus(
        s.getId(),
        c.getPodSandboxId(),
        s.getMetadata().getName(),
        s.getMetadata().getAttempt(),
        s.getImage().getImage().isEmpty() ? c.getImage().getImage() : s.getImage().getImage(),
        imageRef,
        state,
        instant(s.getCreatedAt()),
        s.getStartedAt() > 0 ? instant(s.getStartedAt()) : null,
        state == ContainerStatus.State.EXITED && s.getFinishedAt() > 0
            ? instant(s.getFinishedAt())
            : null,
        s.getExitCode(),
        reason(state, s));
  }

  /** containerd says Completed, Error or OOMKilled; kubelet reports them as they are. */
  private static String reason(
      ContainerStatus.State state, io.flotilla.node.runtime.cri.v1.ContainerStatus s) {
    if (state != ContainerStatus.State.EXITED) {
      return s.getReason();
    }
    if (!s.getReason().isEmpty()) {
      return s.getReason();
    }
    return s.getExitCode() == 0 ? "Completed" : "Error";
  }

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(0, nanos);
  }

  private static void mkdirs(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create " + dir, e);
    }
  }

  private static void ignoreNotFound(Runnable call) {
    try {
      call.run();
    } catch (CriException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }
}
