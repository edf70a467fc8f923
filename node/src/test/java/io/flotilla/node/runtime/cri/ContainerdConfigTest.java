package io.flotilla.node.runtime.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ContainerdConfigTest {

  @Test
  void keepsEverythingUnderItsDirectoryAndRestrictsOomScoreAdjustment() {
    String toml = ContainerdConfig.under(Path.of("/var/lib/flotilla/containerd")).toToml();

    assertThat(toml)
        .contains("root = \"/var/lib/flotilla/containerd/root\"")
        .contains("state = \"/var/lib/flotilla/containerd/state\"")
        .contains("address = \"/var/lib/flotilla/containerd/containerd.sock\"")
        .contains("conf_dir = \"/var/lib/flotilla/containerd/cni/net.d\"")
        .contains("config_path = \"/var/lib/flotilla/containerd/certs.d\"")
        .contains("sandbox_image = \"registry.k8s.io/pause:3.9\"")
        .contains("restrict_oom_score_adj = true")
        .contains("runtime_type = \"io.containerd.runc.v2\"")
        .contains("bin_dir = \"/usr/lib/cni\"");
  }

  @Test
  void rejectsADirectoryTooLongForAUnixSocket() {
    Path longDir = Path.of("/tmp/" + "d".repeat(100));
    assertThatThrownBy(() -> ContainerdConfig.under(longDir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too long for a unix socket path");
  }
}
