package io.flotilla.node.runtime.cri;

import io.flotilla.node.runtime.PortStream;
import io.flotilla.node.runtime.StreamOptions;
import io.flotilla.node.runtime.StreamSession;
import io.flotilla.node.runtime.cri.streaming.PortForwardStream;
import io.flotilla.node.runtime.cri.streaming.RemoteCommandSession;
import io.flotilla.node.runtime.cri.streaming.SpdyConnection;
import io.flotilla.node.runtime.cri.v1.AttachRequest;
import io.flotilla.node.runtime.cri.v1.ContainerState;
import io.flotilla.node.runtime.cri.v1.ContainerStatus;
import io.flotilla.node.runtime.cri.v1.ExecRequest;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Runtime SPI's streaming calls for containerd: CRI Exec, Attach and PortForward return a URL
 * on containerd's streaming server (127.0.0.1, a random port), and this class connects to it as
 * kubectl would connect to kubelet, over SPDY/3.1 ({@link SpdyConnection}).
 *
 * <p>Why SPDY and not WebSocket: containerd 1.6/1.7's streaming server (a copy of kubelet's {@code
 * cri/streaming}) speaks both, but its WebSocket protocols for exec cannot half-close stdin (v4 has
 * no close frame per channel; v5 is newer than this server), while a SPDY stream can: its FIN
 * reaches the process as stdin EOF, which {@code kubectl cp} (a {@code tar} reading stdin) needs.
 * Exit codes come through the v4 status on the error stream.
 *
 * <p>Why CRI PortForward and not a direct connection to the pod IP: the runtime dials 127.0.0.1
 * inside the pod's network namespace, so servers bound to loopback are reachable too, as with
 * kubelet; a pod IP would miss those and would not work for host-network pods.
 *
 * <p>Threading: thread-safe; one Netty event-loop thread serves every session's connection. Calls
 * block for the CRI call and the HTTP upgrade only; the sessions' streams carry the I/O.
 */
public final class CriStreaming implements AutoCloseable {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  private static final int EXIT_LOOKS = 10;
  private static final Duration EXIT_LOOK_INTERVAL = Duration.ofMillis(200);

  private final CriClient cri;
  private final EventLoopGroup eventLoop;

  public CriStreaming(CriClient cri) {
    this.cri = cri;
    this.eventLoop = new NioEventLoopGroup(1, new DefaultThreadFactory("cri-streaming", true));
  }

  /**
   * Starts {@code command} in the container (CRI Exec). With a terminal stderr is merged into
   * stdout by the runtime.
   *
   * @throws IllegalStateException when the container is unknown or not running
   * @throws CriException when containerd fails otherwise
   * @throws java.io.UncheckedIOException when its streaming server cannot be reached
   */
  public StreamSession exec(String containerId, List<String> command, StreamOptions options) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("exec in " + containerId + " needs a command to run");
    }
    requireSomeStream(options, "exec");
    URI url =
        call(
            containerId,
            () ->
                cri.exec(
                    ExecRequest.newBuilder()
                        .setContainerId(containerId)
                        .addAllCmd(command)
                        .setTty(options.tty())
                        .setStdin(options.stdin())
                        .setStdout(options.stdout())
                        .setStderr(options.stderr())
                        .build()));
    return RemoteCommandSession.start(connect(url, RemoteCommandSession.PROTOCOL), options, null);
  }

  /**
   * Attaches to the container's main process (CRI Attach). Its stdin reaches the process only when
   * the container was created with {@code stdin: true}. The session's exit code is the container's
   * when it has exited by the time the session ends, else 0 (detached).
   */
  public StreamSession attach(String containerId, StreamOptions options) {
    requireSomeStream(options, "attach");
    URI url =
        call(
            containerId,
            () ->
                cri.attach(
                    AttachRequest.newBuilder()
                        .setContainerId(containerId)
                        .setTty(options.tty())
                        .setStdin(options.stdin())
                        .setStdout(options.stdout())
                        .setStderr(options.stderr())
                        .build()));
    return RemoteCommandSession.start(
        connect(url, RemoteCommandSession.PROTOCOL), options, () -> exitCodeOf(containerId));
  }

  /**
   * Opens one TCP connection to {@code port} on 127.0.0.1 in the sandbox's network namespace (CRI
   * PortForward). A refused connection shows as an IOException with containerd's message on the
   * first read that reaches the end of the stream.
   */
  public PortStream portForward(String sandboxId, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "port-forward to sandbox " + sandboxId + ": port " + port + " is not in 1-65535");
    }
    URI url = call(sandboxId, () -> cri.portForward(sandboxId, List.of(port)));
    return PortForwardStream.start(connect(url, PortForwardStream.PROTOCOL), port);
  }

  @Override
  public void close() {
    eventLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }

  /**
   * Runs a CRI call; an unknown or not-running container or sandbox becomes the SPI's
   * IllegalStateException (the cause keeps containerd's answer).
   */
  private static URI call(String target, java.util.function.Supplier<URI> rpc) {
    try {
      return rpc.get();
    } catch (CriException e) {
      io.grpc.Status.Code code = e.code();
      if (code == io.grpc.Status.Code.NOT_FOUND
          || code == io.grpc.Status.Code.FAILED_PRECONDITION
          // containerd 1.6 answers UNKNOWN "container is in CONTAINER_EXITED state".
          || (code == io.grpc.Status.Code.UNKNOWN
              && String.valueOf(e.getMessage())
                  .matches("(?s).*(not running|is in CONTAINER_).*"))) {
        throw new IllegalStateException(
            target + " is not running or does not exist: " + e.getMessage(), e);
      }
      throw e;
    }
  }

  private SpdyConnection connect(URI url, String protocol) {
    return SpdyConnection.open(eventLoop, url, List.of(protocol), CONNECT_TIMEOUT);
  }

  /**
   * The container's exit code once an attach session ended. The session ends when the container's
   * output closes, which containerd may see a moment before it records the exit; a container still
   * running after a few looks was detached from, which reports 0.
   */
  private int exitCodeOf(String containerId) {
    for (int look = 0; ; look++) {
      ContainerStatus status = cri.containerStatus(containerId);
      if (status.getState() == ContainerState.CONTAINER_EXITED) {
        return status.getExitCode();
      }
      if (look == EXIT_LOOKS) {
        return 0;
      }
      try {
        Thread.sleep(EXIT_LOOK_INTERVAL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 0;
      }
    }
  }

  private static void requireSomeStream(StreamOptions options, String what) {
    if (!options.stdin() && !options.stdout() && !options.stderr()) {
      throw new IllegalArgumentException(what + " needs at least one of stdin, stdout and stderr");
    }
  }
}
