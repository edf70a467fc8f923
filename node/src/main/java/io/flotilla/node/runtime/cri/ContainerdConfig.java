package io.flotilla.node.runtime.cri;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The configuration of a containerd that Flotilla starts itself, with everything it owns under one
 * directory: {@code root}, {@code state}, the socket, the CNI config directory and registry host
 * settings. The settings are the ones this project's machines need (see the module README): runc
 * through the v2 shim, overlayfs, no AppArmor, and {@code restrict_oom_score_adj}, without which
 * every sandbox fails where the process lacks CAP_SYS_RESOURCE.
 *
 * @param dir the directory containerd owns
 * @param sandboxImage the pause image every sandbox runs; it must be present (imported) or pullable
 * @param cniBinDir where the CNI plugins are ({@code /usr/lib/cni} from Debian's packages)
 */
public record ContainerdConfig(Path dir, String sandboxImage, Path cniBinDir) {
  /** The pause image the project builds and imports, under the name containerd 1.6 expects. */
  public static final String DEFAULT_SANDBOX_IMAGE = "registry.k8s.io/pause:3.9";

  /** Debian's containernetworking-plugins directory. */
  public static final Path DEBIAN_CNI_BIN_DIR = Path.of("/usr/lib/cni");

  /** Unix socket paths are limited to 107 bytes; the ttrpc socket adds 6 to the gRPC one. */
  private static final int MAX_SOCKET_PATH = 100;

  public ContainerdConfig {
    dir = dir.toAbsolutePath();
    if (dir.resolve("containerd.sock.ttrpc").toString().length() > MAX_SOCKET_PATH + 6) {
      throw new IllegalArgumentException(
          "containerd directory "
              + dir
              + " is too long for a unix socket path (at most "
              + (MAX_SOCKET_PATH - "/containerd.sock".length())
              + " characters); choose a shorter directory");
    }
  }

  /** The config with the project's pause image and Debian's CNI plugins. */
  public static ContainerdConfig under(Path dir) {
    return new ContainerdConfig(dir, DEFAULT_SANDBOX_IMAGE, DEBIAN_CNI_BIN_DIR);
  }

  /** The gRPC socket the CRI client connects to. */
  public Path socket() {
    return dir.resolve("containerd.sock");
  }

  /** Where the CNI conflist goes ({@link CniBridgeConfig#write}). */
  public Path cniConfDir() {
    return dir.resolve("cni/net.d");
  }

  /** Per-registry host settings ({@code certs.d/<host>/hosts.toml}). */
  public Path registryConfigDir() {
    return dir.resolve("certs.d");
  }

  /** The config file's path. */
  public Path configFile() {
    return dir.resolve("config.toml");
  }

  /** The config file's contents (TOML, config version 2). */
  public String toToml() {
    String cri = "[plugins.\"io.containerd.grpc.v1.cri\"";
    return String.join(
        "\n",
        "version = 2",
        "root = " + quote(dir.resolve("root")),
        "state = " + quote(dir.resolve("state")),
        "[grpc]",
        "  address = " + quote(socket()),
        cri + "]",
        "  sandbox_image = " + quote(sandboxImage),
        "  disable_apparmor = true",
        "  restrict_oom_score_adj = true",
        "  netns_mounts_under_state_dir = true",
        "  " + cri + ".containerd]",
        "    snapshotter = \"overlayfs\"",
        "    default_runtime_name = \"runc\"",
        "    " + cri + ".containerd.runtimes.runc]",
        "      runtime_type = \"io.containerd.runc.v2\"",
        "  " + cri + ".cni]",
        "    bin_dir = " + quote(cniBinDir),
        "    conf_dir = " + quote(cniConfDir()),
        "  " + cri + ".registry]",
        "    config_path = " + quote(registryConfigDir()),
        "");
  }

  /** Creates the directories and writes the config file; returns its path. */
  public Path write() {
    try {
      Files.createDirectories(cniConfDir());
      Files.createDirectories(registryConfigDir());
      return Files.writeString(configFile(), toToml());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the containerd config under " + dir, e);
    }
  }

  private static String quote(Object value) {
    String s = value.toString();
    if (s.contains("\"") || s.contains("\\") || s.contains("\n")) {
      throw new IllegalArgumentException("containerd setting value must not contain quotes: " + s);
    }
    return "\"" + s + "\"";
  }
}
