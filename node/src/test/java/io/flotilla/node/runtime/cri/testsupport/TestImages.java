package io.flotilla.node.runtime.cri.testsupport;

import io.flotilla.node.runtime.cri.ContainerdConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The images the containerd tests run, built on this machine without a registry: a pause image (the
 * project's static C pause program) and a busybox image (Debian's busybox-static with its applet
 * links). Each is packed with umoci and written by skopeo as a docker-archive tarball, which {@code
 * ctr images import} loads. Tarballs are cached under the build directory (keyed by their inputs),
 * so a build makes them once.
 *
 * <p>Threading: {@link #build} is synchronized; two JVMs building at once each write their own
 * temporary tarball and move it into place atomically.
 */
public final class TestImages {
  /** The pause image, under the name containerd's sandbox_image setting uses. */
  public static final String PAUSE = ContainerdConfig.DEFAULT_SANDBOX_IMAGE;

  /** The busybox image: {@code image: busybox} in a pod resolves to it. */
  public static final String BUSYBOX = "docker.io/library/busybox:latest";

  private static final Path BUSYBOX_BINARY = Path.of("/bin/busybox");

  private TestImages() {}

  /** The two tarballs, built or found in the cache. */
  public record Tarballs(Path pause, Path busybox) {}

  /** Builds (or finds cached) both tarballs under {@code cacheDir}. */
  public static synchronized Tarballs build(Path cacheDir) {
    try {
      Files.createDirectories(cacheDir);
      byte[] pauseSource = pauseSource();
      Path pause =
          cached(
              cacheDir,
              "pause-" + digest(pauseSource) + ".tar",
              work -> buildPause(work, pauseSource));
      Path busybox =
          cached(
              cacheDir,
              "busybox-" + digest(Files.readAllBytes(BUSYBOX_BINARY)) + ".tar",
              TestImages::buildBusybox);
      return new Tarballs(pause, busybox);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not build the test images under " + cacheDir, e);
    }
  }

  /**
   * Writes a copy of the docker-archive {@code source} as a distinct image named {@code reference}
   * (its config gains a label, so its id differs): CRI RemoveImage removes an image with all its
   * names, so a test that imports and removes an image must not share one with other tests.
   */
  public static Path distinctCopy(Path source, String reference, Path workDir) {
    HostTools.run(workDir, "skopeo", "copy", "docker-archive:" + source, "oci:copy:image");
    HostTools.run(
        workDir, "umoci", "config", "--image", "copy:image", "--config.label", "copy=" + reference);
    Path tarball = workDir.resolve("copy.tar");
    HostTools.run(
        workDir, "skopeo", "copy", "oci:copy:image", "docker-archive:" + tarball + ":" + reference);
    return tarball;
  }

  private interface Builder {
    Path build(Path workDir) throws IOException;
  }

  private static Path cached(Path cacheDir, String name, Builder builder) throws IOException {
    Path target = cacheDir.resolve(name);
    if (Files.isRegularFile(target)) {
      return target;
    }
    Path work = Files.createTempDirectory(cacheDir, "build-");
    try {
      Path tarball = builder.build(work);
      Files.move(
          tarball, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } finally {
      deleteTree(work);
    }
  }

  private static Path buildPause(Path work, byte[] source) throws IOException {
    Path c = Files.write(work.resolve("pause.c"), source);
    HostTools.run(work, "gcc", "-static", "-Os", "-o", "pause", c.toString());
    Path rootfs = newImage(work, "pause");
    Files.copy(work.resolve("pause"), rootfs.resolve("pause"));
    return packImage(work, "pause", PAUSE, "--config.entrypoint", "/pause", "--clear=config.cmd");
  }

  private static Path buildBusybox(Path work) throws IOException {
    Path rootfs = newImage(work, "busybox");
    Path bin = Files.createDirectories(rootfs.resolve("bin"));
    Files.copy(BUSYBOX_BINARY, bin.resolve("busybox"));
    for (String applet : HostTools.run(work, BUSYBOX_BINARY.toString(), "--list").split("\\s+")) {
      if (!applet.isEmpty() && !applet.equals("busybox")) {
        Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
      }
    }
    Files.createDirectories(rootfs.resolve("tmp"));
    Path etc = Files.createDirectories(rootfs.resolve("etc"));
    Files.writeString(
        etc.resolve("passwd"),
        "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
    Files.writeString(etc.resolve("group"), "root:x:0:\nnogroup:x:65534:\n");
    return packImage(
        work,
        "busybox",
        BUSYBOX,
        "--config.cmd",
        "sh",
        "--config.env",
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  }

  /** Creates an empty OCI image {@code name:build} and unpacks it; returns its rootfs. */
  private static Path newImage(Path work, String name) {
    HostTools.run(work, "umoci", "init", "--layout", "oci");
    HostTools.run(work, "umoci", "new", "--image", "oci:" + name);
    HostTools.run(work, "umoci", "unpack", "--image", "oci:" + name, "bundle");
    return work.resolve("bundle/rootfs");
  }

  /** Repacks the rootfs as a layer, sets the config, and writes a docker-archive tarball. */
  private static Path packImage(Path work, String name, String reference, String... config) {
    HostTools.run(work, "umoci", "repack", "--image", "oci:" + name, "bundle");
    String[] command = new String[4 + config.length];
    command[0] = "umoci";
    command[1] = "config";
    command[2] = "--image";
    command[3] = "oci:" + name;
    System.arraycopy(config, 0, command, 4, config.length);
    HostTools.run(work, command);
    Path tarball = work.resolve(name + ".tar");
    HostTools.run(
        work, "skopeo", "copy", "oci:oci:" + name, "docker-archive:" + tarball + ":" + reference);
    return tarball;
  }

  private static byte[] pauseSource() throws IOException {
    try (InputStream in =
        Objects.requireNonNull(
            TestImages.class.getResourceAsStream("/cri/pause.c"), "test resource cri/pause.c")) {
      return in.readAllBytes();
    }
  }

  private static String digest(byte[] bytes) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
      return HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
