package io.flotilla.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flotilla up}: everything on this machine in one process: the API server, the scheduler,
 * the controllers, and this machine as a node whose pods run in containerd when it is installed
 * (starting its own containerd under DIR/containerd when none answers), else as host processes.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description =
        "Run a one-machine cluster here until Ctrl-C: API server, scheduler, controllers and this"
            + " machine as a node (pods run in containerd when it is installed, starting its own"
            + " when none is running; else as host processes).")
final class UpCommand implements Callable<Integer> {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the cluster keeps its state. Default: ~/.flotilla")
  Path dataDir = ServerOptions.defaultDataDir();

  @Option(names = "--port", description = "HTTPS port of the API (default: ${DEFAULT-VALUE}).")
  int port = 6443;

  @Option(
      names = "--runtime",
      paramLabel = "cri|process",
      description =
          "The node's runtime: cri (containerd) or process (host processes). Default: cri when"
              + " containerd is installed, else process.")
  LocalNode.Kind runtime = LocalNode.Kind.auto;

  @Override
  public Integer call() throws Exception {
    return ControlPlane.runUntilStopped(ServerOptions.embedded(dataDir, port), runtime);
  }
}
