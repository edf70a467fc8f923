package io.flotilla.node.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.node.runtime.ContainerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchTest {
  @TempDir Path dir;

  private static ContainerConfig config(List<String> command, List<ContainerConfig.Mount> mounts) {
    return new ContainerConfig(
        "c",
        0,
        "",
        command,
        List.of(),
        "",
        Map.of("A", "1"),
        Map.of(),
        Map.of(),
        mounts,
        "",
        null,
        null);
  }

  @Test
  void withoutMountNamespacesEachVolumeIsNamedByAnEnvVariable() throws Exception {
    Launch l =
        Launch.of(
            config(
                List.of("sh"),
                List.of(new ContainerConfig.Mount("/etc/config", "/data/vol/cfg", true))),
            dir.resolve("work"),
            false,
            dir.resolve("ready"));
    assertThat(l.namespaced()).isFalse();
    assertThat(l.env())
        .containsEntry("FLOTILLA_MOUNT_ETC_CONFIG", "/data/vol/cfg")
        .containsEntry("A", "1")
        .containsKey("PATH");
    assertThat(l.argv()).containsExactly(Launch.SETSID, "sh");
    assertThat(l.workingDir()).isEqualTo(dir.resolve("work")).isDirectory();
  }

  @Test
  void withMountNamespacesTheCommandRunsUnderUnshareAfterTheBindMounts() throws Exception {
    Path target = dir.resolve("target");
    Launch l =
        Launch.of(
            config(
                List.of("cat", "x"),
                List.of(new ContainerConfig.Mount(target.toString(), dir.toString(), true))),
            dir.resolve("work"),
            true,
            dir.resolve("ready"));
    assertThat(l.namespaced()).isTrue();
    assertThat(l.argv()).startsWith(Launch.SETSID, Launch.UNSHARE, "--mount").endsWith("cat", "x");
    String script = l.argv().get(l.argv().indexOf("-c") + 1);
    assertThat(script)
        .contains("mount --bind '" + dir + "' '" + target + "'")
        .contains("mount -o remount,bind,ro '" + target + "'");
    assertThat(target).as("the mount point is made on the host").isDirectory();
  }

  @Test
  void runAsUserNeedsRootAndOtherwiseSaysSo() {
    var sc = new ContainerConfig.SecurityContext(1000L, null, false, false, List.of(), List.of());
    assertThat(Launch.asUser(sc, true))
        .containsExactly(Launch.SETPRIV, "--reuid=1000", "--regid=0", "--clear-groups", "--");
    assertThat(Launch.asUser(ContainerConfig.SecurityContext.NONE, false)).isEmpty();
    assertThatThrownBy(() -> Launch.asUser(sc, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("run the agent as root");
  }

  @Test
  void aContainerWithoutACommandIsRefusedWithAHint() {
    assertThatThrownBy(() -> Launch.of(config(List.of(), List.of()), dir, false, dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("give the container a command");
  }
}
