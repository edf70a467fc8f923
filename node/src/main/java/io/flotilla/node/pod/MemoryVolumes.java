package io.flotilla.node.pod;

import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * emptyDir volumes with {@code medium: Memory}, as kubelet makes them: a tmpfs mounted on the
 * volume's directory (size = {@code sizeLimit} when given), so the content lives in RAM and goes
 * with the pod; and the unmounting of every mount under a pod's directory before it is removed.
 * Mounting needs root (CAP_SYS_ADMIN); without it the volume stays a plain directory and the agent
 * says so once.
 *
 * <p>Threading: stateless apart from the warning flag; callers hold the pod's key.
 */
final class MemoryVolumes {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryVolumes.class);
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
  private static volatile boolean warned;

  private MemoryVolumes() {}

  /** Mounts a tmpfs on {@code dir} unless one is there already. */
  static void mount(Path dir, Quantity sizeLimit) {
    if (mountPoints(dir).contains(dir.toAbsolutePath().normalize().toString())) {
      return;
    }
    String options = "mode=0777";
    if (sizeLimit != null) {
      options += ",size=" + Quantity.getAmountInBytes(sizeLimit).toBigInteger();
    }
    String failure = run("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString());
    if (failure != null && !warned) {
      warned = true;
      LOG.warn(
          "emptyDir medium Memory stays a plain directory: cannot mount tmpfs on {} ({}); the"
              + " agent needs root for it",
          dir,
          failure);
    }
  }

  /** Unmounts every mount at or under {@code podDir}, deepest first, before it is deleted. */
  static void unmountAll(Path podDir) {
    List<String> mounts = mountPoints(podDir);
    mounts.sort(Comparator.comparingInt(String::length).reversed());
    for (String m : mounts) {
      String failure = run("umount", m);
      if (failure != null) {
        // Lazily, so that a mount a process still holds goes as soon as it lets go.
        run("umount", "-l", m);
      }
    }
  }

  /** Mount points at or under {@code dir}, from /proc/self/mountinfo. */
  static List<String> mountPoints(Path dir) {
    String prefix = dir.toAbsolutePath().normalize().toString();
    List<String> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(MOUNTINFO)) {
        String[] f = line.split(" ");
        if (f.length > 4) {
          String mp = f[4].replace("\\040", " ");
          if (mp.equals(prefix) || mp.startsWith(prefix + "/")) {
            out.add(mp);
          }
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot read {}: {}", MOUNTINFO, e.toString());
    }
    return out;
  }

  /** Runs a command; null when it succeeded, else what it said. */
  private static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      }
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return String.join(" ", command) + " did not finish";
      }
      return p.exitValue() == 0 ? null : out.isEmpty() ? "exit " + p.exitValue() : out;
    } catch (IOException e) {
      return e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
