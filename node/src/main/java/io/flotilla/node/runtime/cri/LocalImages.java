package io.flotilla.node.runtime.cri;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The two images a node needs without a registry, built on this machine from Debian packages: the
 * pause image every sandbox runs (the project's static C pause program, {@code gcc -static}) and a
 * busybox image (busybox-static with its applet links). Packed with umoci, written by skopeo as
 * docker-archive tarballs (cached under a directory, keyed by their inputs) and imported into
 * containerd when it lacks them. {@code flotilla up} uses it for the pause image, {@code flotilla
 * bench pods} for both.
 *
 * <p>Threading: {@link #ensure} is synchronized.
 */
public final class LocalImages {
  /** The pause image, under the name containerd's sandbox_image setting uses. */
  public static final String PAUSE = ContainerdConfig.DEFAULT_SANDBOX_IMAGE;

  /** The busybox image: {@code image: busybox} in a pod resolves to it. */
  public static final String BUSYBOX = "docker.io/library/busybox:latest";

  private static final Path BUSYBOX_BINARY = Path.of("/bin/busybox");
  private static final List<String> TOOLS =
      List.of("/usr/bin/gcc", "/usr/bin/umoci", "/usr/bin/skopeo", "/bin/busybox");

  private LocalImages() {}

  /**
   * Imports {@code images} ({@link #PAUSE}, {@link #BUSYBOX}) into containerd unless it has them,
   * building them under {@code cacheDir} first.
   *
   * @throws IllegalStateException when a build tool is missing (naming the Debian packages)
   */
  public static synchronized void ensure(CriClient cri, Path cacheDir, List<String> images) {
    ImageImporter importer = new ImageImporter(cri, Duration.ofMinutes(5));
    for (String image : images) {
      if (cri.imageStatus(image).isPresent()) {
        continue;
      }
      importer.importArchive(build(cacheDir, image));
    }
  }

  /** Builds (or finds cached) the tarball of {@code image}. */
  public static synchronized Path build(Path cacheDir, String image) {
    List<String> missing = TOOLS.stream().filter(t -> !Files.isExecutable(Path.of(t))).toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "Cannot build "
              + image
              + " here: missing "
              + String.join(", ", missing)
              + " (apt-get install -y gcc libc6-dev umoci skopeo busybox-static), or import an"
              + " image archive with `flotilla images import`.");
    }
    try {
      Files.createDirectories(cacheDir);
      if (image.equals(PAUSE)) {
        byte[] source = pauseSource();
        return cached(cacheDir, "pause-" + digest(source) + ".tar", w -> buildPause(w, source));
      }
      if (image.equals(BUSYBOX)) {
        String key = digest(Files.readAllBytes(BUSYBOX_BINARY));
        return cached(cacheDir, "busybox-" + key + ".tar", LocalImages::buildBusybox);
      }
      throw new IllegalArgumentException(
          "LocalImages builds only " + PAUSE + " and " + BUSYBOX + ", not " + image);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not build " + image + " under " + cacheDir, e);
    }
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
    run(work, "gcc", "-static", "-Os", "-o", "pause", c.toString());
    Path rootfs = newImage(work, "pause");
    Files.copy(work.resolve("pause"), rootfs.resolve("pause"));
    return pack(work, "pause", PAUSE, "--config.entrypoint", "/pause", "--clear=config.cmd");
  }

  private static Path buildBusybox(Path work) throws IOException {
    Path rootfs = newImage(work, "busybox");
    Path bin = Files.createDirectories(rootfs.resolve("bin"));
    Files.copy(BUSYBOX_BINARY, bin.resolve("busybox"));
    for (String applet : run(work, BUSYBOX_BINARY.toString(), "--list").split("\\s+")) {
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
    return pack(
        work,
        "busybox",
        BUSYBOX,
        "--config.cmd",
        "sh",
        "--config.env",
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  }

  private static Path newImage(Path work, String name) {
    run(work, "umoci", "init", "--layout", "oci");
    run(work, "umoci", "new", "--image", "oci:" + name);
    run(work, "umoci", "unpack", "--image", "oci:" + name, "bundle");
    return work.resolve("bundle/rootfs");
  }

  private static Path pack(Path work, String name, String reference, String... config) {
    run(work, "umoci", "repack", "--image", "oci:" + name, "bundle");
    List<String> command = new ArrayList<>(List.of("umoci", "config", "--image", "oci:" + name));
    command.addAll(List.of(config));
    run(work, command.toArray(String[]::new));
    Path tarball = work.resolve(name + ".tar");
    run(work, "skopeo", "copy", "oci:oci:" + name, "docker-archive:" + tarball + ":" + reference);
    return tarball;
  }

  /**
   * Runs a build tool in {@code workDir} and returns its output (stdout and stderr together).
   *
   * @throws IllegalStateException when it fails, with its command line and output
   */
  public static String run(Path workDir, String... command) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
    pb.redirectErrorStream(true);
    pb.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      String output;
      try (InputStream in = p.getInputStream()) {
        output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in 5 minutes");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed with status " + p.exitValue() + ":\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running " + command[0], e);
    }
  }

  private static byte[] pauseSource() throws IOException {
    try (InputStream in =
        Objects.requireNonNull(
            LocalImages.class.getResourceAsStream("pause.c"),
            "resource io/flotilla/node/runtime/cri/pause.c")) {
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

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
