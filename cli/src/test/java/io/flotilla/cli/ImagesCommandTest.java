package io.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ImagesCommandTest {

  @Test
  void importWithoutContainerdSaysWhichSocketItLookedForAndHowToChooseAnother(@TempDir Path dir) {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.newCommandLine();
    cli.setErr(new PrintWriter(err));

    int status =
        cli.execute(
            "images",
            "import",
            "--containerd-socket",
            dir.resolve("containerd.sock").toString(),
            dir.resolve("busybox.tar").toString());

    assertThat(status).isEqualTo(1);
    assertThat(err.toString())
        .startsWith(
            "flotilla images import: No containerd socket at " + dir.resolve("containerd.sock"))
        .contains("--containerd-socket");
  }

  @Test
  void importNeedsAnArchive() {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.newCommandLine();
    cli.setErr(new PrintWriter(err));

    assertThat(cli.execute("images", "import")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required parameter: 'FILE.tar'");
  }
}
