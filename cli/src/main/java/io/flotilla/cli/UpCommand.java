package io.flotilla.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flotilla up}: everything on this machine in one process. Today that is the API server; the
 * scheduler, the controllers and a node join it as they are built.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = "Run a one-machine cluster here (today: the API server) until Ctrl-C.")
final class UpCommand implements Callable<Integer> {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the cluster keeps its state. Default: ~/.flotilla")
  Path dataDir = ServerOptions.defaultDataDir();

  @Option(names = "--port", description = "HTTPS port of the API (default: ${DEFAULT-VALUE}).")
  int port = 6443;

  @Override
  public Integer call() throws Exception {
    return ControlPlane.runUntilStopped(ServerOptions.embedded(dataDir, port));
  }
}
