package io.flotilla.node.runtime.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.node.runtime.cri.testsupport.HostTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ContainerdProcessTest {

  @Test
  void reportsAContainerdThatExitsAtStartWithTheEndOfItsLog() throws Exception {
    HostTools.requireAll();
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "ctd-bad-");
    // containerd cannot create its root directory where a file is in the way, and exits.
    Files.writeString(dir.resolve("root"), "not a directory");

    assertThatThrownBy(
            () -> ContainerdProcess.start(ContainerdConfig.under(dir), Duration.ofMinutes(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("containerd exited with status")
        .hasMessageContaining("its log ends:")
        .hasMessageContaining(dir.resolve("root").toString());
    assertThat(Files.readString(dir.resolve("config.toml")))
        .contains("restrict_oom_score_adj = true");
  }
}
