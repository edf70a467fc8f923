package io.flotilla.node.runtime.cri;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The containerd a one-machine cluster uses: the one already answering on the default socket, or
 * else one the project starts itself under a directory it owns ({@link ContainerdProcess} with
 * {@link ContainerdConfig}), with the pause image (and, when asked, busybox) built and imported by
 * {@link LocalImages} if containerd lacks them. Used by {@code flotilla up} and {@code flotilla
 * bench pods}.
 *
 * <p>Threading: open and close from one thread; the client is thread-safe. {@link #close} removes
 * the sandboxes the agent made and stops containerd only if it was started here.
 */
public final class LocalContainerd implements AutoCloseable {
  /** Where a system containerd listens. */
  public static final Path DEFAULT_SOCKET = Path.of("/run/containerd/containerd.sock");

  private final CriClient client;
  private final ContainerdProcess process;
  private final CriRuntime.CniSetup cni;

  private LocalContainerd(CriClient client, ContainerdProcess process, CriRuntime.CniSetup cni) {
    this.client = client;
    this.process = process;
    this.cni = cni;
  }

  /** Whether containerd and runc are installed here (the cri runtime can run). */
  public static boolean installed() {
    return onPath("containerd")
        && (onPath("runc") || Files.isExecutable(Path.of("/usr/sbin/runc")));
  }

  /**
   * Connects to the containerd on {@code socket} when it answers, else starts one under {@code dir}
   * (state, root, socket, CNI config); then makes sure {@code images} are present, building them
   * under {@code dir/images} when needed.
   */
  public static LocalContainerd connectOrStart(Path socket, Path dir, List<String> images) {
    CriClient client = answering(socket);
    ContainerdProcess process = null;
    CriRuntime.CniSetup cni;
    if (client != null) {
      // Someone else's containerd: its CNI configuration is theirs.
      cni = null;
    } else {
      ContainerdConfig config = ContainerdConfig.under(dir);
      process = ContainerdProcess.start(config, Duration.ofMinutes(1));
      client = CriClient.connect(process.socket());
      cni = CriAgent.cniFor(config);
    }
    try {
      LocalImages.ensure(client, dir.resolve("images"), images);
      return new LocalContainerd(client, process, cni);
    } catch (RuntimeException e) {
      client.close();
      if (process != null) {
        process.close();
      }
      throw e;
    }
  }

  private static CriClient answering(Path socket) {
    if (!Files.exists(socket)) {
      return null;
    }
    CriClient c = null;
    try {
      c = CriClient.connect(socket, Duration.ofSeconds(5), Duration.ofMinutes(10));
      c.version();
      return c;
    } catch (RuntimeException e) {
      if (c != null) {
        c.close();
      }
      return null;
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String d : (path + ":/usr/sbin:/sbin").split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }

  public CriClient client() {
    return client;
  }

  /** The CNI setup to write (null for a containerd that was already running). */
  public CriRuntime.CniSetup cni() {
    return cni;
  }

  /** Whether this process started containerd (and stops it on close). */
  public boolean started() {
    return process != null;
  }

  /** The socket in use. */
  public Path socket() {
    return client.socket();
  }

  @Override
  public void close() {
    try {
      if (process != null) {
        // Containers outlive containerd: remove them before it stops.
        CriAgent.removeAllSandboxes(client);
      }
    } finally {
      client.close();
      if (process != null) {
        process.close();
      }
    }
  }
}
