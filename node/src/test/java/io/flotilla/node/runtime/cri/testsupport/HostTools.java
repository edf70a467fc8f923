package io.flotilla.node.runtime.cri.testsupport;

import io.flotilla.node.runtime.cri.LocalImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host programs the containerd tests use, the Debian packages they come from, and a way to run
 * them. {@link #requireAll()} fails with one message listing every missing package, so a machine
 * without them says what to install instead of failing somewhere deep in a test.
 */
public final class HostTools {
  private static final Path BUSYBOX = Path.of("/bin/busybox");

  /** Program (absolute path) → Debian package that installs it. */
  private static final Map<Path, String> PROGRAMS = new LinkedHashMap<>();

  static {
    PROGRAMS.put(Path.of("/usr/bin/containerd"), "containerd");
    PROGRAMS.put(Path.of("/usr/bin/ctr"), "containerd");
    PROGRAMS.put(Path.of("/usr/bin/containerd-shim-runc-v2"), "containerd");
    PROGRAMS.put(Path.of("/usr/sbin/runc"), "runc");
    PROGRAMS.put(Path.of("/usr/lib/cni/bridge"), "containernetworking-plugins");
    PROGRAMS.put(Path.of("/usr/lib/cni/host-local"), "containernetworking-plugins");
    PROGRAMS.put(Path.of("/usr/bin/umoci"), "umoci");
    PROGRAMS.put(Path.of("/usr/bin/skopeo"), "skopeo");
    PROGRAMS.put(Path.of("/usr/bin/gcc"), "gcc");
    PROGRAMS.put(Path.of("/usr/lib/x86_64-linux-gnu/libc.a"), "libc6-dev");
    PROGRAMS.put(BUSYBOX, "busybox-static");
  }

  private HostTools() {}

  /**
   * Checks that the tests can run containerd here: root, and every program above.
   *
   * @throws IllegalStateException naming what is missing and the command that installs it
   */
  public static void requireAll() {
    List<String> problems = new ArrayList<>();
    if (!isRoot()) {
      problems.add("containerd needs root; run the tests as root");
    }
    List<String> packages = new ArrayList<>();
    PROGRAMS.forEach(
        (program, pkg) -> {
          if (!Files.isRegularFile(program) && !packages.contains(pkg)) {
            packages.add(pkg);
          }
        });
    if (Files.isRegularFile(BUSYBOX)
        && !isStatic(BUSYBOX)
        && !packages.contains("busybox-static")) {
      packages.add("busybox-static");
      problems.add(
          "/bin/busybox is dynamically linked (package busybox); the image needs busybox-static");
    }
    if (!packages.isEmpty()) {
      problems.add(
          "missing Debian packages: "
              + String.join(" ", packages)
              + " (bin/test installs them; or run: apt-get install -y "
              + String.join(" ", packages)
              + ")");
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "The containerd tests cannot run on this machine: " + String.join("; ", problems));
    }
  }

  /**
   * Runs a program and returns its output (stdout and stderr together).
   *
   * @throws IllegalStateException when it fails, with its command line and output
   */
  public static String run(Path workDir, String... command) {
    return LocalImages.run(workDir, command);
  }

  private static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("Uid:"))
          .anyMatch(l -> l.split("\\s+")[1].equals("0"));
    } catch (IOException e) {
      return false;
    }
  }

  /** A static ELF binary has no program interpreter (the dynamic loader's path). */
  private static boolean isStatic(Path binary) {
    try {
      String bytes = new String(Files.readAllBytes(binary), StandardCharsets.ISO_8859_1);
      return !bytes.contains("/lib64/ld-linux") && !bytes.contains("/lib/ld-linux");
    } catch (IOException e) {
      return false;
    }
  }
}
