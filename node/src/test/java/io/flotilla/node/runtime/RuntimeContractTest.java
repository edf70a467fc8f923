package io.flotilla.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Runtime} driver must do, whatever runs underneath. A driver's test extends this
 * class, says how to make its runtime and containers, and answers the capability questions for what
 * it cannot do (a skipped case is reported as skipped, not passed).
 */
public abstract class RuntimeContractTest {
  protected static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir protected Path dir;
  protected Runtime runtime;
  private final List<ContainerEvent> events = new CopyOnWriteArrayList<>();
  private AutoCloseable subscription;

  /** A fresh runtime keeping its files under {@code dir}. */
  protected abstract Runtime newRuntime(Path dir);

  /** A container that prints {@code hello} on stdout and then runs until it is stopped. */
  protected abstract ContainerConfig runningContainer(String name, int attempt);

  /** A container that exits with {@code code} soon after it starts. */
  protected abstract ContainerConfig exitingContainer(String name, int code);

  /** Sandbox annotations a driver needs for {@link #exitingContainer} to exit (simulated). */
  protected Map<String, String> exitingSandboxAnnotations(int code) {
    return Map.of();
  }

  /** Whether containers' output reaches the CRI log file. */
  protected abstract boolean writesLogs();

  /**
   * A container like {@link #runningContainer} that prints the file {@code path} (as the container
   * sees it) with {@code mounts}; null when the driver runs nothing that could read it.
   */
  protected ContainerConfig catContainer(String path, List<ContainerConfig.Mount> mounts) {
    return null;
  }

  @BeforeEach
  void startRuntime() {
    runtime = newRuntime(dir);
    runtime.updatePodCidr("10.244.0.0/24");
    subscription = runtime.containerEvents(events::add);
  }

  @AfterEach
  void closeRuntime() throws Exception {
    subscription.close();
    runtime.close();
  }

  private PodSandboxConfig sandbox(String name, Map<String, String> annotations) {
    return new PodSandboxConfig(
        name,
        "default",
        "uid-" + name,
        0,
        name,
        Map.of(),
        annotations,
        dir.resolve("logs").resolve(name).toString());
  }

  @Test
  void sandboxGoesFromReadyToNotReadyToGone() {
    String id = runtime.runPodSandbox(sandbox("sb", Map.of()));
    PodSandboxStatus st = runtime.podSandboxStatus(id);
    assertThat(st.state()).isEqualTo(PodSandboxStatus.State.READY);
    assertThat(st.ip()).isNotBlank();
    assertThat(st.name()).isEqualTo("sb");
    runtime.stopPodSandbox(id);
    assertThat(runtime.podSandboxStatus(id).state()).isEqualTo(PodSandboxStatus.State.NOTREADY);
    runtime.stopPodSandbox(id);
    runtime.removePodSandbox(id);
    assertThat(runtime.podSandboxStatus(id)).isNull();
    runtime.removePodSandbox(id);
    assertThat(runtime.listContainers(id)).isEmpty();
  }

  @Test
  void containerIsCreatedStartedStoppedAndRemoved() {
    PodSandboxConfig sb = sandbox("life", Map.of());
    String sid = runtime.runPodSandbox(sb);
    String cid = runtime.createContainer(sid, runningContainer("app", 0), sb);
    assertThat(runtime.listContainers(sid))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.id()).isEqualTo(cid);
              assertThat(c.name()).isEqualTo("app");
              assertThat(c.state()).isEqualTo(ContainerStatus.State.CREATED);
            });
    runtime.startContainer(cid);
    ContainerStatus running = runtime.listContainers(sid).getFirst();
    assertThat(running.state()).isEqualTo(ContainerStatus.State.RUNNING);
    assertThat(running.startedAt()).isNotNull();
    runtime.stopContainer(cid, Duration.ofSeconds(10));
    ContainerStatus stopped = runtime.listContainers(sid).getFirst();
    assertThat(stopped.state()).isEqualTo(ContainerStatus.State.EXITED);
    assertThat(stopped.finishedAt()).isNotNull();
    runtime.stopContainer(cid, Duration.ofSeconds(10));
    runtime.removeContainer(cid);
    runtime.removeContainer(cid);
    assertThat(runtime.listContainers(sid)).isEmpty();
    runtime.removePodSandbox(sid);
  }

  @Test
  void attemptsAreListedOldestFirst() {
    PodSandboxConfig sb = sandbox("attempts", Map.of());
    String sid = runtime.runPodSandbox(sb);
    String first = runtime.createContainer(sid, runningContainer("app", 0), sb);
    String second = runtime.createContainer(sid, runningContainer("app", 1), sb);
    assertThat(runtime.listContainers(sid))
        .extracting(ContainerStatus::id)
        .containsExactly(first, second);
    runtime.removePodSandbox(sid);
  }

  @Test
  void exitCodeIsReportedWithAStoppedEvent() {
    PodSandboxConfig sb = sandbox("exit", exitingSandboxAnnotations(3));
    String sid = runtime.runPodSandbox(sb);
    String cid = runtime.createContainer(sid, exitingContainer("app", 3), sb);
    runtime.startContainer(cid);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(runtime.listContainers(sid).getFirst().state())
                    .isEqualTo(ContainerStatus.State.EXITED));
    ContainerStatus st = runtime.listContainers(sid).getFirst();
    assertThat(st.exitCode()).isEqualTo(3);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(events)
                    .anySatisfy(
                        e -> {
                          assertThat(e.containerId()).isEqualTo(cid);
                          assertThat(e.type()).isEqualTo(ContainerEvent.Type.STOPPED);
                          assertThat(e.podName()).isEqualTo("exit");
                        }));
    runtime.removePodSandbox(sid);
  }

  @Test
  void outputReachesTheLogFileInCriFormat() {
    assumeThat(writesLogs()).as("runtime writes logs").isTrue();
    PodSandboxConfig sb = sandbox("logs", Map.of());
    String sid = runtime.runPodSandbox(sb);
    ContainerConfig c = runningContainer("app", 0);
    String cid = runtime.createContainer(sid, c, sb);
    runtime.startContainer(cid);
    Path log = Path.of(sb.logDirectory()).resolve(c.logPath());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(Files.exists(log) ? Files.readAllLines(log) : List.<String>of())
                    .anySatisfy(
                        l ->
                            assertThat(l)
                                .matches(
                                    "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z stdout F"
                                        + " hello")));
    runtime.removePodSandbox(sid);
  }

  @Test
  void execRunsACommandInTheContainerAndReturnsItsExitCode() {
    assumeThat(runtime.supportsExec()).as("runtime supports exec").isTrue();
    PodSandboxConfig sb = sandbox("exec", Map.of());
    String sid = runtime.runPodSandbox(sb);
    String cid = runtime.createContainer(sid, runningContainer("app", 0), sb);
    runtime.startContainer(cid);
    ExecResult r =
        runtime.execSync(cid, List.of("sh", "-c", "echo out; echo err >&2; exit 4"), WAIT);
    assertThat(r.exitCode()).isEqualTo(4);
    assertThat(r.stdout()).isEqualTo("out\n");
    assertThat(r.stderr()).isEqualTo("err\n");
    assertThat(r.timedOut()).isFalse();
    runtime.removePodSandbox(sid);
  }

  @Test
  void aMountShowsTheHostDirectoryAtTheContainerPathReadOnlyWhenAsked() throws Exception {
    Path host = dir.resolve("volume");
    Files.createDirectories(host);
    Files.writeString(host.resolve("key"), "mounted-value");
    Path target = dir.resolve("seen-by-container");
    ContainerConfig c =
        catContainer(
            target.resolve("key").toString(),
            List.of(new ContainerConfig.Mount(target.toString(), host.toString(), true)));
    assumeThat(c).as("runtime runs commands that read files").isNotNull();
    PodSandboxConfig sb = sandbox("mounts", Map.of());
    String sid = runtime.runPodSandbox(sb);
    String cid = runtime.createContainer(sid, c, sb);
    runtime.startContainer(cid);
    Path log = Path.of(sb.logDirectory()).resolve(c.logPath());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(Files.exists(log) ? Files.readAllLines(log) : List.<String>of())
                    .anySatisfy(l -> assertThat(l).endsWith("stdout F mounted-value")));
    assertThat(Files.exists(target.resolve("key")))
        .as("the host's own path is untouched")
        .isFalse();
    if (runtime.supportsExec()) {
      ExecResult r =
          runtime.execSync(cid, List.of("sh", "-c", "echo x > " + target + "/new"), WAIT);
      assertThat(r.exitCode()).as("read-only mount").isNotZero();
    }
    runtime.removePodSandbox(sid);
  }

  @Test
  void unknownIdsAreHarmless() {
    assertThat(runtime.podSandboxStatus("nope")).isNull();
    assertThat(runtime.listContainers("nope")).isEmpty();
    runtime.stopContainer("nope", Duration.ZERO);
    runtime.removeContainer("nope");
    runtime.stopPodSandbox("nope");
    runtime.removePodSandbox("nope");
    assertThat(runtime.version().nodeInfoForm()).contains("://");
  }
}
