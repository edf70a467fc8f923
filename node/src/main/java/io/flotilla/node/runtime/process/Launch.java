package io.flotilla.node.runtime.process;

import io.flotilla.node.runtime.ContainerConfig;
import io.flotilla.node.runtime.ContainerConfig.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How one container's process is started: its argv (wrapped in {@code setsid} so it leads its own
 * process group, and, when it has mounts and the agent may, in {@code unshare --mount} with a
 * script that bind-mounts each volume at its mountPath), its working directory and environment.
 *
 * <p>Why a mount namespace: workloads read their volumes at the paths the pod spec names ({@code
 * cat /etc/config/key}); a private mount namespace makes exactly those paths show the volume to
 * that process alone, without touching what the host sees there. A mountPath that does not exist on
 * the host is created as an empty directory (or file) first and left behind; that is the one trace
 * on the host. Without root or {@code unshare} the mounts cannot be made: the process then finds
 * each volume through {@code FLOTILLA_MOUNT_<PATH>} (the mountPath upper-cased, non-alphanumerics
 * as {@code _}), set to the host directory.
 */
record Launch(
    List<String> argv, Path workingDir, Map<String, String> env, boolean namespaced, Path ready) {

  static final String UNSHARE = "/usr/bin/unshare";
  static final String SETSID = "/usr/bin/setsid";
  static final String SETPRIV = "/usr/bin/setpriv";

  /** Whether this process may make mount namespaces (root with util-linux's unshare). */
  static boolean canUnshare() {
    return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of(UNSHARE));
  }

  /**
   * @param ready a file the mount script creates once the mounts are made (exec and hooks must not
   *     enter the namespace before)
   */
  static Launch of(ContainerConfig c, Path defaultWorkDir, boolean unshare, Path ready)
      throws IOException {
    List<String> cmd = new ArrayList<>(c.command());
    cmd.addAll(c.args());
    if (cmd.isEmpty()) {
      throw new IllegalArgumentException(
          "container "
              + c.name()
              + " has no command: the process runtime does not read images, so give the container"
              + " a command (e.g. command: [sh, -c, '...'])");
    }
    Path image = c.image() == null || c.image().isEmpty() ? null : Path.of(c.image());
    Path work =
        !c.workingDir().isEmpty()
            ? Path.of(c.workingDir())
            : image != null && image.isAbsolute() && Files.isDirectory(image)
                ? image
                : defaultWorkDir;
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("HOME", "/root");
    env.putAll(c.env());
    List<String> argv = new ArrayList<>();
    argv.add(SETSID);
    boolean ns = unshare && !c.mounts().isEmpty();
    if (ns) {
      StringBuilder script = new StringBuilder("set -e\n");
      for (Mount m : c.mounts()) {
        Path target = Path.of(m.containerPath());
        if (!Files.exists(target)) {
          if (Files.isDirectory(Path.of(m.hostPath()))) {
            Files.createDirectories(target);
          } else {
            Files.createDirectories(target.getParent());
            Files.createFile(target);
          }
        }
        script
            .append("mount --bind ")
            .append(quote(m.hostPath()))
            .append(' ')
            .append(quote(m.containerPath()))
            .append('\n');
        if (m.readOnly()) {
          script.append("mount -o remount,bind,ro ").append(quote(m.containerPath())).append('\n');
        }
      }
      script.append("cd ").append(quote(work.toString())).append('\n');
      Files.createDirectories(ready.getParent());
      Files.deleteIfExists(ready);
      script.append(": > ").append(quote(ready.toString())).append('\n');
      script.append("exec \"$@\"\n");
      argv.addAll(
          List.of(
              UNSHARE,
              "--mount",
              "--propagation",
              "private",
              "--",
              "/bin/sh",
              "-c",
              script.toString(),
              "flotilla-mounts"));
    } else {
      for (Mount m : c.mounts()) {
        env.put("FLOTILLA_MOUNT_" + envName(m.containerPath()), m.hostPath());
      }
    }
    // Created after the mounts so a workingDir inside a volume is the volume's.
    if (!ns) {
      Files.createDirectories(work);
    } else if (!Files.exists(work)) {
      Files.createDirectories(work);
    }
    argv.addAll(asUser(c.securityContext(), unshare));
    argv.addAll(cmd);
    return new Launch(List.copyOf(argv), work, env, ns, ns ? ready : null);
  }

  /**
   * {@code setpriv} switching to runAsUser/runAsGroup (group 0 when only the user is given, as for
   * an image without a USER group), or nothing when the container runs as the agent's user.
   */
  static List<String> asUser(ContainerConfig.SecurityContext sc, boolean root) {
    if (sc.runAsUser() == null && sc.runAsGroup() == null) {
      return List.of();
    }
    if (!root || !Files.isExecutable(Path.of(SETPRIV))) {
      throw new IllegalArgumentException(
          "securityContext.runAsUser/runAsGroup need an agent running as root with util-linux's"
              + " setpriv; drop them or run the agent as root");
    }
    long uid = sc.runAsUser() == null ? 0 : sc.runAsUser();
    long gid = sc.runAsGroup() == null ? 0 : sc.runAsGroup();
    return List.of(SETPRIV, "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--");
  }

  static String envName(String path) {
    String s = path.replaceAll("[^A-Za-z0-9]+", "_").toUpperCase(Locale.ROOT);
    s = s.replaceAll("^_+|_+$", "");
    return s.isEmpty() ? "ROOT" : s;
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
