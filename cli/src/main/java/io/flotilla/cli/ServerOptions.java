package io.flotilla.cli;

import io.flotilla.apiserver.services.PortRange;
import io.flotilla.apiserver.services.ServiceCidr;
import java.nio.file.Path;
import java.util.List;

/** What {@code server} and {@code up} were asked to run. */
record ServerOptions(
    Path dataDir,
    String bind,
    int port,
    ServerCommand.StoreKind store,
    List<String> etcdEndpoints,
    List<String> tlsSans,
    java.time.Duration compactionInterval,
    String serviceCidr,
    String nodePortRange,
    java.util.Set<String> disabled,
    boolean localNode) {

  /** The components {@code server} runs in-process unless {@code --disable} names them. */
  static final List<String> COMPONENTS = List.of("scheduler", "controllers");

  /** Whether {@code component} (one of {@link #COMPONENTS}) runs in this process. */
  boolean runs(String component) {
    return !disabled.contains(component);
  }

  /** Parses "5m", "30s", "2h", "0" or an ISO-8601 duration ("PT5M"). */
  static java.time.Duration parseDuration(String option, String text) {
    String t = text.trim();
    try {
      if (t.equals("0")) {
        return java.time.Duration.ZERO;
      }
      if (t.toUpperCase(java.util.Locale.ROOT).startsWith("P")) {
        return java.time.Duration.parse(t);
      }
      return java.time.Duration.parse("PT" + t.toUpperCase(java.util.Locale.ROOT));
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          option + ": \"" + text + "\" is not a duration; use for example 30s, 5m or 1h");
    }
  }

  /**
   * What {@code up} runs with: the embedded store, the default service ranges, and this machine as
   * a node (the process runtime) in the same process.
   */
  static ServerOptions embedded(Path dataDir, int port) {
    return new ServerOptions(
        dataDir,
        "127.0.0.1",
        port,
        ServerCommand.StoreKind.embedded,
        List.of(),
        List.of(),
        java.time.Duration.ofMinutes(5),
        ServiceCidr.DEFAULT,
        PortRange.DEFAULT,
        java.util.Set.of(),
        true);
  }

  /** {@code $HOME/.flotilla}, as the README says; Java's user.home when HOME is unset. */
  static Path defaultDataDir() {
    String home = System.getenv("HOME");
    return Path.of(
        home == null || home.isBlank() ? System.getProperty("user.home") : home, ".flotilla");
  }

  /** The host clients should use: the bind address, or loopback when bound to every address. */
  String clientHost() {
    return switch (bind) {
      case "0.0.0.0", "::", "" -> "127.0.0.1";
      default -> bind.contains(":") ? "[" + bind + "]" : bind;
    };
  }
}
