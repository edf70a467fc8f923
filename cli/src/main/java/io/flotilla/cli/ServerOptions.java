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
    String serviceCidr,
    String nodePortRange) {

  /** What {@code up} runs with: the embedded store and the default service ranges. */
  static ServerOptions embedded(Path dataDir, int port) {
    return new ServerOptions(
        dataDir,
        "127.0.0.1",
        port,
        ServerCommand.StoreKind.embedded,
        List.of(),
        List.of(),
        ServiceCidr.DEFAULT,
        PortRange.DEFAULT);
  }

  static Path defaultDataDir() {
    return Path.of(System.getProperty("user.home"), ".flotilla");
  }

  /** The host clients should use: the bind address, or loopback when bound to every address. */
  String clientHost() {
    return switch (bind) {
      case "0.0.0.0", "::", "" -> "127.0.0.1";
      default -> bind.contains(":") ? "[" + bind + "]" : bind;
    };
  }
}
