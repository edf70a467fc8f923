package io.flotilla.node.runtime.cri.testsupport;

import io.flotilla.node.runtime.cri.ContainerdConfig;
import io.flotilla.node.runtime.cri.ContainerdProcess;
import io.flotilla.node.runtime.cri.CriClient;
import io.flotilla.node.runtime.cri.v1.PodSandbox;
import io.flotilla.node.runtime.cri.v1.PodSandboxFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real containerd for tests: started under the build directory with the project's config, its own
 * pod network ({@link TestPodNetwork}) and the test images ({@link TestImages}) imported. One
 * instance serves a whole test JVM (see {@link ContainerdExtension}). {@link #close()} removes
 * every sandbox left, stops containerd by its PID and deletes its directory.
 *
 * <p>Threading: the client is thread-safe; start and close from one thread.
 */
public final class TestContainerd implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(1);

  private final Path dir;
  private final TestPodNetwork network;
  private final ContainerdProcess process;
  private final CriClient client;
  private final Thread shutdownHook;
  private final AtomicInteger podDirs = new AtomicInteger();

  private TestContainerd(Path dir, TestPodNetwork network, ContainerdProcess process) {
    this.dir = dir;
    this.network = network;
    this.process = process;
    this.client = CriClient.connect(process.socket());
    // A test JVM killed mid-run must not leave a containerd behind.
    this.shutdownHook = new Thread(process::close, "containerd-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Checks the host, builds (or reuses) the images under {@code buildDir/cri-images}, starts
   * containerd under a fresh directory in {@code buildDir} (in /tmp when that path is too long for
   * a unix socket), writes the CNI config and imports the images.
   */
  public static TestContainerd start(Path buildDir) {
    HostTools.requireAll();
    TestImages.Tarballs images = TestImages.build(buildDir.resolve("cri-images"));
    TestPodNetwork network = TestPodNetwork.claim();
    ContainerdProcess process = null;
    try {
      // Unix socket paths are short (107 bytes): a deep build directory falls back to /tmp.
      Path parent = buildDir.toAbsolutePath();
      Path dir =
          parent.toString().length() <= 60
              ? Files.createTempDirectory(parent, "containerd-")
              : Files.createTempDirectory(Path.of("/tmp"), "flotilla-containerd-");
      ContainerdConfig config = ContainerdConfig.under(dir);
      network.cniConfig(dir.resolve("cni/ipam")).write(config.cniConfDir());
      process = ContainerdProcess.start(config, READY_TIMEOUT);
      for (Path tarball : new Path[] {images.pause(), images.busybox()}) {
        HostTools.run(
            dir,
            "ctr",
            "--address",
            process.socket().toString(),
            "-n",
            "k8s.io",
            "images",
            "import",
            tarball.toString());
      }
      return new TestContainerd(dir, network, process);
    } catch (IOException | RuntimeException e) {
      if (process != null) {
        process.close();
      }
      network.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  /** The client, connected to this containerd. */
  public CriClient client() {
    return client;
  }

  /** The CRI socket. */
  public Path socket() {
    return process.socket();
  }

  /** The pod network the sandboxes join. */
  public TestPodNetwork network() {
    return network;
  }

  /** containerd's process id. */
  public long pid() {
    return process.pid();
  }

  /** A fresh, empty directory for one sandbox's logs (its {@code log_directory}). */
  public Path newPodLogDir() {
    try {
      return Files.createDirectories(dir.resolve("pods/" + podDirs.incrementAndGet()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      for (PodSandbox sandbox : client.listPodSandbox(PodSandboxFilter.getDefaultInstance())) {
        try {
          client.stopPodSandbox(sandbox.getId());
          client.removePodSandbox(sandbox.getId());
        } catch (RuntimeException e) {
          System.err.println(
              "TestContainerd: could not remove sandbox "
                  + sandbox.getId()
                  + ": "
                  + e.getMessage());
        }
      }
    } finally {
      client.close();
      process.close();
      network.close();
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    }
    deleteUnlessMounted();
  }

  /**
   * Deletes containerd's directory, unless something is still mounted under it (a sandbox that
   * could not be removed): deleting through a live mount would reach outside the directory.
   */
  private void deleteUnlessMounted() {
    try {
      String prefix = dir.toString() + "/";
      boolean mounted =
          Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
              .map(l -> l.split(" ")[4])
              .anyMatch(mountPoint -> mountPoint.startsWith(prefix));
      if (mounted) {
        System.err.println(
            "TestContainerd: leaving " + dir + " in place: something is mounted under it");
        return;
      }
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      System.err.println("TestContainerd: could not delete " + dir + ": " + e.getMessage());
    }
  }
}
