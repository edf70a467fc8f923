package io.flotilla.node.runtime.process;

import io.flotilla.node.runtime.ContainerConfig;
import io.flotilla.node.runtime.Runtime;
import io.flotilla.node.runtime.RuntimeContractTest;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** The process runtime passes the runtime contract. */
class ProcessRuntimeContractTest extends RuntimeContractTest {
  @Override
  protected Runtime newRuntime(Path dir) {
    return new ProcessRuntime(dir, Clock.systemUTC(), "127.0.0.1");
  }

  @Override
  protected ContainerConfig runningContainer(String name, int attempt) {
    return config(name, attempt, "echo hello; exec sleep 3600");
  }

  @Override
  protected ContainerConfig exitingContainer(String name, int code) {
    return config(name, 0, "exit " + code);
  }

  @Override
  protected boolean writesLogs() {
    return true;
  }

  @org.junit.jupiter.api.Test
  void aNewRuntimeOnTheSameDataDirKillsWhatTheOldOneLeftRunning() {
    var sb =
        new io.flotilla.node.runtime.PodSandboxConfig(
            "orphan", "default", "u", 0, "orphan", Map.of(), Map.of());
    String sid = runtime.runPodSandbox(sb);
    String cid = runtime.createContainer(sid, runningContainer("app", 0), sb);
    runtime.startContainer(cid);
    // The old runtime is abandoned, as when the agent is killed with SIGKILL.
    List<String> before = ((ProcessRuntime) runtime).runningContainers();
    org.assertj.core.api.Assertions.assertThat(before).contains("orphan/app");
    new ProcessRuntime(dir, Clock.systemUTC(), "127.0.0.1");
    org.awaitility.Awaitility.await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                org.assertj.core.api.Assertions.assertThat(
                        ((ProcessRuntime) runtime).runningContainers())
                    .doesNotContain("orphan/app"));
  }

  @Override
  protected ContainerConfig catContainer(String path, List<ContainerConfig.Mount> mounts) {
    ContainerConfig c = config("cat", 0, "cat " + path + "; echo; exec sleep 3600");
    return new ContainerConfig(
        c.name(),
        c.attempt(),
        c.image(),
        c.command(),
        c.args(),
        c.workingDir(),
        c.env(),
        c.labels(),
        c.annotations(),
        mounts,
        c.logPath(),
        null,
        null);
  }

  private static ContainerConfig config(String name, int attempt, String script) {
    return new ContainerConfig(
        name,
        attempt,
        "",
        List.of("sh", "-c"),
        List.of(script),
        "",
        Map.of(),
        Map.of(ContainerConfig.CONTAINER_NAME_LABEL, name),
        Map.of(),
        List.of(),
        name + "/" + attempt + ".log",
        null,
        null);
  }
}
