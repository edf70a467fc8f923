package io.flotilla.node.runtime.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.flotilla.node.runtime.cri.testsupport.ContainerdExtension;
import io.flotilla.node.runtime.cri.testsupport.TestContainerd;
import io.flotilla.node.runtime.cri.testsupport.TestImages;
import io.flotilla.node.runtime.cri.v1.ContainerConfig;
import io.flotilla.node.runtime.cri.v1.ContainerFilter;
import io.flotilla.node.runtime.cri.v1.ContainerMetadata;
import io.flotilla.node.runtime.cri.v1.ContainerState;
import io.flotilla.node.runtime.cri.v1.ContainerStatus;
import io.flotilla.node.runtime.cri.v1.ExecRequest;
import io.flotilla.node.runtime.cri.v1.ImageSpec;
import io.flotilla.node.runtime.cri.v1.KeyValue;
import io.flotilla.node.runtime.cri.v1.PodSandbox;
import io.flotilla.node.runtime.cri.v1.PodSandboxConfig;
import io.flotilla.node.runtime.cri.v1.PodSandboxFilter;
import io.flotilla.node.runtime.cri.v1.PodSandboxMetadata;
import io.flotilla.node.runtime.cri.v1.PodSandboxState;
import io.flotilla.node.runtime.cri.v1.PodSandboxStatus;
import io.flotilla.node.runtime.cri.v1.RuntimeCondition;
import io.flotilla.node.runtime.cri.v1.VersionResponse;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Drives a real containerd through {@link CriClient}: sandboxes, containers, exec, images. */
@ExtendWith(ContainerdExtension.class)
class CriClientTest {
  private static final Duration DEADLINE = Duration.ofMinutes(2);

  private TestContainerd containerd;
  private CriClient cri;
  private String sandboxId;

  @BeforeEach
  void connect(TestContainerd containerd) {
    this.containerd = containerd;
    this.cri = containerd.client();
  }

  @AfterEach
  void removeSandbox() {
    if (sandboxId != null) {
      cri.stopPodSandbox(sandboxId);
      cri.removePodSandbox(sandboxId);
    }
  }

  @Test
  void reportsContainerdServingCriV1AndReady() {
    VersionResponse version = cri.version();

    assertThat(version.getRuntimeName()).isEqualTo("containerd");
    assertThat(version.getRuntimeApiVersion()).isEqualTo("v1");
    assertThat(version.getRuntimeVersion()).isNotEmpty();
    assertThat(cri.status(false).getStatus().getConditionsList())
        .filteredOn(RuntimeCondition::getStatus)
        .extracting(RuntimeCondition::getType)
        .contains("RuntimeReady", "NetworkReady");
  }

  @Test
  void listsAndDescribesTheImportedImages() {
    assertThat(cri.listImages())
        .flatExtracting(i -> i.getRepoTagsList())
        .contains(TestImages.PAUSE, TestImages.BUSYBOX);

    var busybox = cri.imageStatus(TestImages.BUSYBOX);
    assertThat(busybox).isPresent();
    assertThat(busybox.get().getId()).startsWith("sha256:");
    assertThat(busybox.get().getSize()).isPositive();
    assertThat(cri.imageStatus("example.invalid/nothing:here")).isEmpty();
    assertThat(cri.imageFsInfo().getImageFilesystemsList()).isNotEmpty();
  }

  @Test
  void runsASandboxOnThePodNetworkAndABusyboxContainerInIt() throws IOException {
    PodSandboxConfig sandbox = sandboxConfig("hello");
    sandboxId = cri.runPodSandbox(sandbox);

    PodSandboxStatus status = cri.podSandboxStatus(sandboxId);
    assertThat(status.getState()).isEqualTo(PodSandboxState.SANDBOX_READY);
    assertThat(status.getMetadata().getName()).isEqualTo("hello");
    assertThat(containerd.network().contains(status.getNetwork().getIp()))
        .as("pod IP %s is in %s", status.getNetwork().getIp(), containerd.network().subnet())
        .isTrue();

    String id =
        cri.createContainer(
            sandboxId,
            busybox("main", "echo hello; echo \"to=$GREETING\" >&2; sleep 3600"),
            sandbox);
    cri.startContainer(id);

    Path log = Path.of(sandbox.getLogDirectory(), "main_0.log");
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(readLog(log))
                    .extracting(CriLogLine::stream, CriLogLine::partial, CriLogLine::content)
                    .contains(
                        org.assertj.core.groups.Tuple.tuple(
                            CriLogLine.Stream.STDOUT, false, "hello"),
                        org.assertj.core.groups.Tuple.tuple(
                            CriLogLine.Stream.STDERR, false, "to=world")));

    ContainerStatus running = cri.containerStatus(id);
    assertThat(running.getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);
    assertThat(running.getMetadata().getName()).isEqualTo("main");
    assertThat(running.getLogPath()).isEqualTo(log.toString());
    assertThat(running.getStartedAt()).isPositive();
    assertThat(cri.listContainers(ContainerFilter.newBuilder().setPodSandboxId(sandboxId).build()))
        .extracting(c -> c.getId())
        .containsExactly(id);
    assertThat(cri.containerStats(id).getAttributes().getId()).isEqualTo(id);
  }

  @Test
  void execSyncPassesOutputAndExitCodeThrough() {
    PodSandboxConfig sandbox = sandboxConfig("exec");
    sandboxId = cri.runPodSandbox(sandbox);
    String id = cri.createContainer(sandboxId, busybox("main", "sleep 3600"), sandbox);
    cri.startContainer(id);

    ExecResult ok = cri.execSync(id, List.of("sh", "-c", "echo out; echo err >&2"), DEADLINE);
    ExecResult failed = cri.execSync(id, List.of("sh", "-c", "exit 3"), DEADLINE);

    assertThat(ok.exitCode()).isZero();
    assertThat(ok.stdoutText()).isEqualTo("out\n");
    assertThat(ok.stderrText()).isEqualTo("err\n");
    assertThat(failed.exitCode()).isEqualTo(3);
    assertThat(
            cri.exec(
                ExecRequest.newBuilder().setContainerId(id).addCmd("sh").setStdout(true).build()))
        .hasScheme("http")
        .hasHost("127.0.0.1");
    assertThat(cri.portForward(sandboxId, List.of(80))).hasHost("127.0.0.1");
  }

  @Test
  void stopsAContainerWithTermAndKillsOneThatIgnoresItAfterTheGracePeriod() {
    PodSandboxConfig sandbox = sandboxConfig("stop");
    sandboxId = cri.runPodSandbox(sandbox);
    String polite = cri.createContainer(sandboxId, busybox("polite", "sleep 3600"), sandbox);
    String stubborn =
        cri.createContainer(
            sandboxId,
            busybox(
                "stubborn",
                "trap 'echo ignored TERM' TERM; touch /tmp/trapped; while true; do sleep 1; done"),
            sandbox);
    cri.startContainer(polite);
    cri.startContainer(stubborn);
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                // The trap must be in place before TERM is sent, or sh would die of it.
                cri.execSync(stubborn, List.of("test", "-f", "/tmp/trapped"), DEADLINE).exitCode()
                        == 0
                    && cri.execSync(polite, List.of("true"), DEADLINE).exitCode() == 0);

    cri.stopContainer(polite, Duration.ofSeconds(30));
    cri.stopContainer(stubborn, Duration.ofSeconds(1));

    ContainerStatus stoppedPolitely = cri.containerStatus(polite);
    ContainerStatus killed = cri.containerStatus(stubborn);
    assertThat(stoppedPolitely.getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
    assertThat(stoppedPolitely.getExitCode()).as("128 + SIGTERM").isEqualTo(143);
    assertThat(killed.getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
    assertThat(killed.getExitCode()).as("128 + SIGKILL").isEqualTo(137);
    assertThat(killed.getFinishedAt()).isPositive();
  }

  @Test
  void stopsAndRemovesASandbox() {
    PodSandboxConfig sandbox = sandboxConfig("gone");
    String id = cri.runPodSandbox(sandbox);
    String container = cri.createContainer(id, busybox("main", "sleep 3600"), sandbox);
    cri.startContainer(container);

    cri.stopPodSandbox(id);
    assertThat(cri.podSandboxStatus(id).getState()).isEqualTo(PodSandboxState.SANDBOX_NOTREADY);
    assertThat(cri.containerStatus(container).getState())
        .isEqualTo(ContainerState.CONTAINER_EXITED);
    cri.removePodSandbox(id);

    assertThat(cri.listPodSandbox(PodSandboxFilter.getDefaultInstance()))
        .extracting(PodSandbox::getId)
        .doesNotContain(id);
    assertThatThrownBy(() -> cri.podSandboxStatus(id))
        .isInstanceOfSatisfying(
            CriException.class,
            e -> {
              assertThat(e.isNotFound()).isTrue();
              assertThat(e.operation()).isEqualTo("PodSandboxStatus");
            })
        .hasMessageContaining(id);
  }

  @Test
  void namesTheCallAndTheObjectWhenTheRuntimeDoesNotKnowIt() {
    assertThatThrownBy(() -> cri.containerStatus("no-such-container"))
        .isInstanceOfSatisfying(
            CriException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.NOT_FOUND))
        .hasMessageStartingWith("CRI ContainerStatus no-such-container failed (NOT_FOUND)");
  }

  @Test
  void refusesAMissingSocketWithWhatToDo(@org.junit.jupiter.api.io.TempDir Path dir) {
    assertThatThrownBy(() -> CriClient.connect(dir.resolve("containerd.sock")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("No containerd socket at " + dir.resolve("containerd.sock"))
        .hasMessageContaining("--containerd-socket");
  }

  private PodSandboxConfig sandboxConfig(String name) {
    return PodSandboxConfig.newBuilder()
        .setMetadata(
            PodSandboxMetadata.newBuilder()
                .setName(name)
                .setNamespace("default")
                .setUid(UUID.randomUUID().toString()))
        .setHostname(name)
        .setLogDirectory(containerd.newPodLogDir().toString())
        .build();
  }

  private static ContainerConfig busybox(String name, String script) {
    return ContainerConfig.newBuilder()
        .setMetadata(ContainerMetadata.newBuilder().setName(name))
        .setImage(ImageSpec.newBuilder().setImage(TestImages.BUSYBOX))
        .addAllCommand(List.of("sh", "-c", script))
        .addEnvs(
            KeyValue.newBuilder().setKey("GREETING").setValue(ByteString.copyFromUtf8("world")))
        .setLogPath(name + "_0.log")
        .build();
  }

  private static List<CriLogLine> readLog(Path log) {
    if (!Files.exists(log)) {
      return List.of();
    }
    try {
      return Files.readAllLines(log).stream().map(CriLogLine::parse).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
