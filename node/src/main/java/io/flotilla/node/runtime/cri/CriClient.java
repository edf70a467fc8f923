package io.flotilla.node.runtime.cri;

import io.flotilla.node.runtime.cri.v1.AttachRequest;
import io.flotilla.node.runtime.cri.v1.Container;
import io.flotilla.node.runtime.cri.v1.ContainerConfig;
import io.flotilla.node.runtime.cri.v1.ContainerFilter;
import io.flotilla.node.runtime.cri.v1.ContainerStats;
import io.flotilla.node.runtime.cri.v1.ContainerStatsFilter;
import io.flotilla.node.runtime.cri.v1.ContainerStatsRequest;
import io.flotilla.node.runtime.cri.v1.ContainerStatus;
import io.flotilla.node.runtime.cri.v1.ContainerStatusRequest;
import io.flotilla.node.runtime.cri.v1.CreateContainerRequest;
import io.flotilla.node.runtime.cri.v1.ExecRequest;
import io.flotilla.node.runtime.cri.v1.ExecSyncRequest;
import io.flotilla.node.runtime.cri.v1.ExecSyncResponse;
import io.flotilla.node.runtime.cri.v1.Image;
import io.flotilla.node.runtime.cri.v1.ImageFsInfoRequest;
import io.flotilla.node.runtime.cri.v1.ImageFsInfoResponse;
import io.flotilla.node.runtime.cri.v1.ImageServiceGrpc;
import io.flotilla.node.runtime.cri.v1.ImageSpec;
import io.flotilla.node.runtime.cri.v1.ImageStatusRequest;
import io.flotilla.node.runtime.cri.v1.ImageStatusResponse;
import io.flotilla.node.runtime.cri.v1.ListContainerStatsRequest;
import io.flotilla.node.runtime.cri.v1.ListContainersRequest;
import io.flotilla.node.runtime.cri.v1.ListImagesRequest;
import io.flotilla.node.runtime.cri.v1.ListPodSandboxRequest;
import io.flotilla.node.runtime.cri.v1.NetworkConfig;
import io.flotilla.node.runtime.cri.v1.PodSandbox;
import io.flotilla.node.runtime.cri.v1.PodSandboxConfig;
import io.flotilla.node.runtime.cri.v1.PodSandboxFilter;
import io.flotilla.node.runtime.cri.v1.PodSandboxStatus;
import io.flotilla.node.runtime.cri.v1.PodSandboxStatusRequest;
import io.flotilla.node.runtime.cri.v1.PortForwardRequest;
import io.flotilla.node.runtime.cri.v1.PullImageRequest;
import io.flotilla.node.runtime.cri.v1.RemoveContainerRequest;
import io.flotilla.node.runtime.cri.v1.RemoveImageRequest;
import io.flotilla.node.runtime.cri.v1.RemovePodSandboxRequest;
import io.flotilla.node.runtime.cri.v1.RunPodSandboxRequest;
import io.flotilla.node.runtime.cri.v1.RuntimeConfig;
import io.flotilla.node.runtime.cri.v1.RuntimeServiceGrpc;
import io.flotilla.node.runtime.cri.v1.StartContainerRequest;
import io.flotilla.node.runtime.cri.v1.StatusRequest;
import io.flotilla.node.runtime.cri.v1.StatusResponse;
import io.flotilla.node.runtime.cri.v1.StopContainerRequest;
import io.flotilla.node.runtime.cri.v1.StopPodSandboxRequest;
import io.flotilla.node.runtime.cri.v1.UpdateRuntimeConfigRequest;
import io.flotilla.node.runtime.cri.v1.VersionRequest;
import io.flotilla.node.runtime.cri.v1.VersionResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A small Java API over the CRI v1 RuntimeService and ImageService of a runtime (containerd)
 * listening on a unix socket. Each method is one CRI call with a deadline; failures come back as
 * {@link CriException} naming the call and its target. Messages are the generated {@code
 * io.flotilla.node.runtime.cri.v1} types, so a caller can set any field the project's proto
 * declares.
 *
 * <p>Threading: thread-safe; calls block the calling thread until the runtime answers or the
 * deadline passes. One channel (one connection, one epoll thread) serves all callers. {@link
 * #close()} fails calls still in flight.
 */
public final class CriClient implements AutoCloseable {
  /** Deadline for ordinary calls: RunPodSandbox on a loaded two-core machine is well under this. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofMinutes(2);

  /** Deadline for PullImage, which downloads. */
  public static final Duration DEFAULT_PULL_TIMEOUT = Duration.ofMinutes(10);

  /** Largest reply accepted: the kubelet's limit, for big ListContainerStats or exec output. */
  private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  private final Path socket;
  private final Duration callTimeout;
  private final Duration pullTimeout;
  private final EventLoopGroup eventLoop;
  private final ManagedChannel channel;
  private final RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime;
  private final ImageServiceGrpc.ImageServiceBlockingStub images;

  private CriClient(Path socket, Duration callTimeout, Duration pullTimeout) {
    this.socket = socket;
    this.callTimeout = callTimeout;
    this.pullTimeout = pullTimeout;
    this.eventLoop =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("cri-client", true), EpollIoHandler.newFactory());
    this.channel =
        NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .eventLoopGroup(eventLoop)
            .channelType(EpollDomainSocketChannel.class)
            .usePlaintext()
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .intercept(new CallTimer())
            .build();
    this.runtime = RuntimeServiceGrpc.newBlockingStub(channel);
    this.images = ImageServiceGrpc.newBlockingStub(channel);
  }

  /** Connects to the runtime at {@code socket} with the default deadlines. */
  public static CriClient connect(Path socket) {
    return connect(socket, DEFAULT_CALL_TIMEOUT, DEFAULT_PULL_TIMEOUT);
  }

  /**
   * Connects to the runtime at {@code socket}. The connection itself is made lazily by the first
   * call; this only checks what can be checked up front, so that a wrong path fails here with a
   * message saying what to fix.
   *
   * @throws IllegalArgumentException when the socket does not exist or is not a socket
   * @throws IllegalStateException when epoll (needed for unix sockets) cannot be loaded
   */
  public static CriClient connect(Path socket, Duration callTimeout, Duration pullTimeout) {
    if (!Epoll.isAvailable()) {
      throw new IllegalStateException(
          "The CRI client needs Netty's epoll transport (Linux x86_64 or aarch64) to reach a unix"
              + " socket, and it did not load: "
              + Epoll.unavailabilityCause());
    }
    if (!Files.exists(socket)) {
      throw new IllegalArgumentException(
          "No containerd socket at "
              + socket
              + ": start containerd (its [grpc] address must be this path) or pass the right path"
              + " with --containerd-socket.");
    }
    if (Files.isDirectory(socket) || Files.isRegularFile(socket)) {
      throw new IllegalArgumentException(
          socket + " is not a unix socket; pass containerd's socket (its [grpc] address).");
    }
    return new CriClient(socket.toAbsolutePath(), callTimeout, pullTimeout);
  }

  /** The socket this client talks to. */
  public Path socket() {
    return socket;
  }

  // ---- RuntimeService

  /** The runtime's name and version, and the CRI version it serves ({@code "v1"}). */
  public VersionResponse version() {
    return call("Version", "", () -> runtime().version(VersionRequest.getDefaultInstance()));
  }

  /** The runtime's conditions (RuntimeReady, NetworkReady) and, when verbose, its config. */
  public StatusResponse status(boolean verbose) {
    return call(
        "Status",
        "",
        () -> stub(callTimeout).status(StatusRequest.newBuilder().setVerbose(verbose).build()));
  }

  /** Tells the runtime the node's pod CIDR (CRI UpdateRuntimeConfig). */
  public void updatePodCidr(String podCidr) {
    var request =
        UpdateRuntimeConfigRequest.newBuilder()
            .setRuntimeConfig(
                RuntimeConfig.newBuilder()
                    .setNetworkConfig(NetworkConfig.newBuilder().setPodCidr(podCidr)))
            .build();
    call("UpdateRuntimeConfig", podCidr, () -> runtime().updateRuntimeConfig(request));
  }

  /** Creates and starts a pod sandbox (its namespaces and CNI network); returns its id. */
  public String runPodSandbox(PodSandboxConfig config) {
    return runPodSandbox(config, "");
  }

  /** As {@link #runPodSandbox(PodSandboxConfig)}, with a runtime handler (RuntimeClass). */
  public String runPodSandbox(PodSandboxConfig config, String runtimeHandler) {
    var request =
        RunPodSandboxRequest.newBuilder()
            .setConfig(config)
            .setRuntimeHandler(runtimeHandler)
            .build();
    return call("RunPodSandbox", sandboxName(config), () -> runtime().runPodSandbox(request))
        .getPodSandboxId();
  }

  /** Stops a sandbox's containers and tears down its network. */
  public void stopPodSandbox(String sandboxId) {
    var request = StopPodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build();
    call("StopPodSandbox", sandboxId, () -> runtime().stopPodSandbox(request));
  }

  /** Removes a sandbox and its containers. */
  public void removePodSandbox(String sandboxId) {
    var request = RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build();
    call("RemovePodSandbox", sandboxId, () -> runtime().removePodSandbox(request));
  }

  /** A sandbox's state and network status; throws a not-found {@link CriException} if unknown. */
  public PodSandboxStatus podSandboxStatus(String sandboxId) {
    var request = PodSandboxStatusRequest.newBuilder().setPodSandboxId(sandboxId).build();
    return call("PodSandboxStatus", sandboxId, () -> runtime().podSandboxStatus(request))
        .getStatus();
  }

  /** The sandboxes that pass {@code filter} (all of them for the default filter). */
  public List<PodSandbox> listPodSandbox(PodSandboxFilter filter) {
    var request = ListPodSandboxRequest.newBuilder().setFilter(filter).build();
    return call("ListPodSandbox", "", () -> runtime().listPodSandbox(request)).getItemsList();
  }

  /**
   * Creates (does not start) a container in a sandbox; returns its id. The image must already be
   * present: CreateContainer does not pull.
   */
  public String createContainer(
      String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
    var request =
        CreateContainerRequest.newBuilder()
            .setPodSandboxId(sandboxId)
            .setConfig(config)
            .setSandboxConfig(sandboxConfig)
            .build();
    return call(
            "CreateContainer",
            config.getMetadata().getName() + " in sandbox " + sandboxId,
            () -> runtime().createContainer(request))
        .getContainerId();
  }

  /** Starts a created container. */
  public void startContainer(String containerId) {
    var request = StartContainerRequest.newBuilder().setContainerId(containerId).build();
    call("StartContainer", containerId, () -> runtime().startContainer(request));
  }

  /**
   * Stops a container: the runtime sends its stop signal, waits up to {@code gracePeriod}, then
   * kills it. The deadline is the grace period plus the ordinary call timeout.
   */
  public void stopContainer(String containerId, Duration gracePeriod) {
    var request =
        StopContainerRequest.newBuilder()
            .setContainerId(containerId)
            .setTimeout(gracePeriod.toSeconds())
            .build();
    Duration deadline = gracePeriod.plus(callTimeout);
    call("StopContainer", containerId, () -> stub(deadline).stopContainer(request));
  }

  /** Removes a container (the runtime kills it first if it still runs). */
  public void removeContainer(String containerId) {
    var request = RemoveContainerRequest.newBuilder().setContainerId(containerId).build();
    call("RemoveContainer", containerId, () -> runtime().removeContainer(request));
  }

  /** The containers that pass {@code filter} (all of them for the default filter). */
  public List<Container> listContainers(ContainerFilter filter) {
    var request = ListContainersRequest.newBuilder().setFilter(filter).build();
    return call("ListContainers", "", () -> runtime().listContainers(request)).getContainersList();
  }

  /** A container's state, exit code, timestamps and log path. */
  public ContainerStatus containerStatus(String containerId) {
    var request = ContainerStatusRequest.newBuilder().setContainerId(containerId).build();
    return call("ContainerStatus", containerId, () -> runtime().containerStatus(request))
        .getStatus();
  }

  /**
   * Runs {@code cmd} in a running container and waits for it, up to {@code timeout} (rounded up to
   * whole seconds, as CRI counts them). The command's exit code is passed through, not turned into
   * an exception.
   */
  public ExecResult execSync(String containerId, List<String> cmd, Duration timeout) {
    long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
    var request =
        ExecSyncRequest.newBuilder()
            .setContainerId(containerId)
            .addAllCmd(cmd)
            .setTimeout(seconds)
            .build();
    Duration deadline = Duration.ofSeconds(seconds).plus(callTimeout);
    ExecSyncResponse response =
        call("ExecSync", containerId, () -> stub(deadline).execSync(request));
    return new ExecResult(
        response.getExitCode(),
        response.getStdout().toByteArray(),
        response.getStderr().toByteArray());
  }

  /** Prepares a streaming exec; returns the runtime's streaming-server URL to connect to. */
  public URI exec(ExecRequest request) {
    return URI.create(
        call("Exec", request.getContainerId(), () -> runtime().exec(request)).getUrl());
  }

  /** Prepares a streaming attach; returns the runtime's streaming-server URL to connect to. */
  public URI attach(AttachRequest request) {
    return URI.create(
        call("Attach", request.getContainerId(), () -> runtime().attach(request)).getUrl());
  }

  /** Prepares port forwarding into a sandbox; returns the streaming-server URL to connect to. */
  public URI portForward(String sandboxId, List<Integer> ports) {
    var request =
        PortForwardRequest.newBuilder().setPodSandboxId(sandboxId).addAllPort(ports).build();
    return URI.create(
        call("PortForward", sandboxId, () -> runtime().portForward(request)).getUrl());
  }

  /** CPU, memory and writable-layer usage of one container. */
  public ContainerStats containerStats(String containerId) {
    var request = ContainerStatsRequest.newBuilder().setContainerId(containerId).build();
    return call("ContainerStats", containerId, () -> runtime().containerStats(request)).getStats();
  }

  /** Usage of every container that passes {@code filter}. */
  public List<ContainerStats> listContainerStats(ContainerStatsFilter filter) {
    var request = ListContainerStatsRequest.newBuilder().setFilter(filter).build();
    return call("ListContainerStats", "", () -> runtime().listContainerStats(request))
        .getStatsList();
  }

  // ---- ImageService

  /** Every image the runtime holds. */
  public List<Image> listImages() {
    return call("ListImages", "", () -> images().listImages(ListImagesRequest.getDefaultInstance()))
        .getImagesList();
  }

  /** The image {@code ref} names (a tag, digest or id), or empty when the runtime lacks it. */
  public Optional<Image> imageStatus(String ref) {
    var request = ImageStatusRequest.newBuilder().setImage(imageSpec(ref)).build();
    ImageStatusResponse response = call("ImageStatus", ref, () -> images().imageStatus(request));
    return response.hasImage() ? Optional.of(response.getImage()) : Optional.empty();
  }

  /** Pulls an image from its registry; returns the image reference (id) the runtime stored. */
  public String pullImage(String ref) {
    var request = PullImageRequest.newBuilder().setImage(imageSpec(ref)).build();
    return call("PullImage", ref, () -> imagesStub(pullTimeout).pullImage(request)).getImageRef();
  }

  /** Removes an image. */
  public void removeImage(String ref) {
    var request = RemoveImageRequest.newBuilder().setImage(imageSpec(ref)).build();
    call("RemoveImage", ref, () -> images().removeImage(request));
  }

  /** Usage of the filesystems that hold images and container layers. */
  public ImageFsInfoResponse imageFsInfo() {
    return call(
        "ImageFsInfo", "", () -> images().imageFsInfo(ImageFsInfoRequest.getDefaultInstance()));
  }

  /** Closes the channel and its thread; calls still in flight fail. */
  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  private RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
    return stub(callTimeout);
  }

  private RuntimeServiceGrpc.RuntimeServiceBlockingStub stub(Duration deadline) {
    return runtime.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  private ImageServiceGrpc.ImageServiceBlockingStub images() {
    return imagesStub(callTimeout);
  }

  private ImageServiceGrpc.ImageServiceBlockingStub imagesStub(Duration deadline) {
    return images.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  private <T> T call(String operation, String target, Supplier<T> rpc) {
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      throw CriException.from(operation, target, socket.toString(), e);
    }
  }

  private static ImageSpec imageSpec(String ref) {
    return ImageSpec.newBuilder().setImage(ref).build();
  }

  private static String sandboxName(PodSandboxConfig config) {
    var m = config.getMetadata();
    return m.getNamespace().isEmpty() ? m.getName() : m.getNamespace() + "/" + m.getName();
  }
}
