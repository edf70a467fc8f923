package io.flotilla.node.runtime;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The container runtime a node agent drives, shaped like the CRI v1 RuntimeService: pod sandboxes
 * hold a pod's network identity, containers run inside them, and each call names objects by the ids
 * the runtime gave them. Drivers: {@code simulated} (in memory), and later {@code cri} (containerd
 * over gRPC) and {@code process} (host processes).
 *
 * <p>Threading: every method may be called from several agent threads at once; implementations are
 * thread-safe. Calls may block (a real runtime does I/O); the agent calls them from its bounded
 * pool of pod workers, never from an informer thread. Methods named like CRI's have CRI's
 * idempotency: stopping or removing something already stopped or gone succeeds.
 */
public interface Runtime extends AutoCloseable {

  /** Name and version, as CRI's Version call reports them (nodeInfo.containerRuntimeVersion). */
  RuntimeVersion version();

  /**
   * Tells the runtime the node's pod CIDR (CRI UpdateRuntimeConfig), before the first sandbox; pod
   * IPs come from it. Idempotent.
   */
  void updatePodCidr(String podCidr);

  /**
   * Creates and starts a sandbox for one pod (its network namespace and IP). Called once per pod
   * (again with attempt+1 only if the sandbox died). Returns the new sandbox id.
   */
  String runPodSandbox(PodSandboxConfig config);

  /** Stops every container in the sandbox and releases its network; idempotent. */
  void stopPodSandbox(String sandboxId);

  /** Removes a stopped sandbox and its containers; idempotent (unknown ids succeed). */
  void removePodSandbox(String sandboxId);

  /** The sandbox's state, or null when the runtime does not know the id. */
  PodSandboxStatus podSandboxStatus(String sandboxId);

  /** Creates (does not start) a container in a sandbox; returns its id. */
  String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandbox);

  /** Starts a created container. */
  void startContainer(String containerId);

  /**
   * Stops a running container, giving it {@code timeout} to exit before it is killed; idempotent.
   */
  void stopContainer(String containerId, Duration timeout);

  /** Removes a container, stopping it first if needed; idempotent. */
  void removeContainer(String containerId);

  /**
   * Runs {@code command} inside a running container and waits for it (CRI ExecSync), killing it
   * after {@code timeout}. Used for exec probes and hooks; may block up to the timeout.
   *
   * @throws UnsupportedOperationException when the runtime cannot run commands in containers (see
   *     {@link #supportsExec()})
   * @throws IllegalStateException when the container does not exist or is not running
   */
  default ExecResult execSync(String containerId, List<String> command, Duration timeout) {
    throw new UnsupportedOperationException(version().runtimeName() + " runtime has no exec");
  }

  /** Whether {@link #execSync} works. */
  default boolean supportsExec() {
    return false;
  }

  /**
   * Starts {@code command} inside a running container with the streams {@code options} asks for
   * (CRI Exec, kubelet's {@code /exec}); returns at once, the session's streams carry the I/O.
   *
   * @throws UnsupportedOperationException when the runtime cannot (see {@link #supportsExec()})
   * @throws IllegalStateException when the container does not exist or is not running
   */
  default StreamSession exec(String containerId, List<String> command, StreamOptions options) {
    throw new UnsupportedOperationException(version().runtimeName() + " runtime has no exec");
  }

  /**
   * Attaches to a running container's main process (CRI Attach, kubelet's {@code /attach}): its
   * output from now on, and its stdin when the container was created with {@code stdin: true}.
   *
   * @throws UnsupportedOperationException when the runtime cannot attach
   * @throws IllegalStateException when the container does not exist or is not running
   */
  default StreamSession attach(String containerId, StreamOptions options) {
    throw new UnsupportedOperationException(version().runtimeName() + " runtime has no attach");
  }

  /**
   * Opens a TCP connection to {@code port} in the sandbox's network namespace (CRI PortForward,
   * kubelet's {@code /portForward}).
   *
   * @throws UnsupportedOperationException when the runtime cannot port-forward
   * @throws java.io.UncheckedIOException when nothing listens on the port
   */
  default PortStream portForward(String sandboxId, int port) {
    throw new UnsupportedOperationException(
        version().runtimeName() + " runtime has no port-forward");
  }

  /**
   * Usage of every running container (CRI ListContainerStats), for the Summary API, {@code kubectl
   * top} and eviction. Called every few seconds from the stats sampler's thread; may block briefly
   * (reads /proc or calls the runtime). Empty when the runtime cannot measure (the default).
   */
  default List<ContainerUsage> containerStats() {
    return List.of();
  }

  /** The containers of one sandbox, oldest attempt first; empty for an unknown sandbox. */
  List<ContainerStatus> listContainers(String sandboxId);

  /**
   * Subscribes to container lifecycle events (CRI's GetContainerEvents): the agent re-syncs the pod
   * an event names instead of polling every container. The listener is called from a runtime thread
   * and must not block. Returns a handle that unsubscribes.
   */
  AutoCloseable containerEvents(Consumer<ContainerEvent> listener);

  /**
   * The runtime's images, when it runs container images (CRI ImageService); empty when every image
   * counts as present (process, simulated).
   */
  default java.util.Optional<ImageService> imageService() {
    return java.util.Optional.empty();
  }

  /** Releases the runtime's resources (connections, threads); containers are left as they are. */
  @Override
  void close();
}
