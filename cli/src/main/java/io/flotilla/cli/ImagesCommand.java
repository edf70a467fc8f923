package io.flotilla.cli;

import io.flotilla.node.runtime.cri.CriClient;
import io.flotilla.node.runtime.cri.ImageImporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flotilla images …}: images in the node's containerd. */
@Command(
    name = "images",
    mixinStandardHelpOptions = true,
    description = "Manage the images in this node's containerd.",
    subcommands = {ImagesCommand.Import.class})
final class ImagesCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code flotilla images import FILE.tar…}: loads image archives for pods to use. */
  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description =
          "Load image archives (docker save or skopeo docker-archive tarballs) into containerd's"
              + " Kubernetes namespace, so pods can use them without a registry.")
  static final class Import implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE.tar", description = "Image archives.")
    List<Path> archives;

    @Option(
        names = "--containerd-socket",
        paramLabel = "SOCKET",
        defaultValue = "/run/containerd/containerd.sock",
        description = "containerd's socket (default: ${DEFAULT-VALUE}).")
    Path socket;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try (CriClient cri = CriClient.connect(socket)) {
        ImageImporter importer = new ImageImporter(cri, Duration.ofMinutes(10));
        for (Path archive : archives) {
          for (var image : importer.importArchive(archive)) {
            out.println("Imported " + image.reference() + " (" + image.id() + ")");
          }
        }
        return 0;
      } catch (RuntimeException e) {
        // Bad paths, ctr failures and CRI errors all carry a message that says what to fix.
        err.println("flotilla images import: " + e.getMessage());
        return 1;
      }
    }
  }
}
