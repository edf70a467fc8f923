package io.flotilla.node.runtime.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flotilla.node.runtime.PortStream;
import io.flotilla.node.runtime.StreamOptions;
import io.flotilla.node.runtime.StreamSession;
import io.flotilla.node.runtime.cri.testsupport.ContainerdExtension;
import io.flotilla.node.runtime.cri.testsupport.TestContainerd;
import io.flotilla.node.runtime.cri.testsupport.TestImages;
import io.flotilla.node.runtime.cri.v1.ContainerConfig;
import io.flotilla.node.runtime.cri.v1.ContainerMetadata;
import io.flotilla.node.runtime.cri.v1.ImageSpec;
import io.flotilla.node.runtime.cri.v1.PodSandboxConfig;
import io.flotilla.node.runtime.cri.v1.PodSandboxMetadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Exec, attach and port-forward through containerd's streaming server, over SPDY. */
@ExtendWith(ContainerdExtension.class)
class CriStreamingTest {
  private static final Duration DEADLINE = Duration.ofMinutes(2);
  private static final StreamOptions OUT_AND_ERR = new StreamOptions(false, true, true, false);

  private TestContainerd containerd;
  private CriClient cri;
  private CriStreaming streaming;
  private String sandboxId;

  @BeforeEach
  void connect(TestContainerd containerd) {
    this.containerd = containerd;
    this.cri = containerd.client();
    this.streaming = new CriStreaming(cri);
  }

  @AfterEach
  void cleanUp() {
    streaming.close();
    if (sandboxId != null) {
      cri.stopPodSandbox(sandboxId);
      cri.removePodSandbox(sandboxId);
    }
  }

  @Test
  void execStreamsStdoutAndExitsZero() throws Exception {
    String id = runContainer("main", List.of("sleep", "3600"), false);

    try (StreamSession session = streaming.exec(id, List.of("echo", "hello"), OUT_AND_ERR)) {
      assertThat(text(session.stdout())).isEqualTo("hello\n");
      assertThat(text(session.stderr())).isEmpty();
      assertThat(session.stdin()).isNull();
      assertThat(session.exit().get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isZero();
    }
  }

  @Test
  void execPassesStderrAndTheExitCodeThrough() throws Exception {
    String id = runContainer("main", List.of("sleep", "3600"), false);

    try (StreamSession session =
        streaming.exec(id, List.of("sh", "-c", "echo e >&2; exit 3"), OUT_AND_ERR)) {
      assertThat(text(session.stderr())).isEqualTo("e\n");
      assertThat(text(session.stdout())).isEmpty();
      assertThat(session.exit().get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(3);
    }
  }

  @Test
  void stdinEndOfFileReachesTheProcess() throws Exception {
    String id = runContainer("main", List.of("sleep", "3600"), false);
    byte[] payload = new byte[200 * 1024];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) ('a' + i % 26);
    }

    try (StreamSession session =
        streaming.exec(
            id, List.of("sh", "-c", "cat | wc -c"), new StreamOptions(true, true, true, false))) {
      session.stdin().write(payload);
      session.stdin().close();
      assertThat(text(session.stdout()).trim()).isEqualTo(Integer.toString(payload.length));
      assertThat(session.exit().get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isZero();
    }
  }

  @Test
  void aTarArchiveOnStdinUnpacksInTheContainerAsKubectlCpSendsIt(@TempDir Path src)
      throws Exception {
    String id = runContainer("main", List.of("sleep", "3600"), false);
    Files.writeString(src.resolve("greeting.txt"), "copied through stdin\n");
    byte[] tar =
        new ProcessBuilder("tar", "cf", "-", "-C", src.toString(), "greeting.txt")
            .start()
            .getInputStream()
            .readAllBytes();

    try (StreamSession session =
        streaming.exec(
            id,
            List.of("sh", "-c", "mkdir -p /dest && tar xf - -C /dest && cat /dest/greeting.txt"),
            new StreamOptions(true, true, true, false))) {
      session.stdin().write(tar);
      session.stdin().close();
      assertThat(text(session.stdout())).isEqualTo("copied through stdin\n");
      assertThat(session.exit().get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isZero();
    }
  }

  @Test
  void megabytesOfOutputArriveWhole() throws Exception {
    String id = runContainer("main", List.of("sleep", "3600"), false);

    try (StreamSession session =
        streaming.exec(id, List.of("head", "-c", "20000000", "/dev/zero"), OUT_AND_ERR)) {
      long total = 0;
      byte[] buf = new byte[65536];
      for (int n; (n = session.stdout().read(buf)) >= 0; ) {
        total += n;
      }
      assertThat(total).isEqualTo(20_000_000L);
      assertThat(session.exit().get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isZero();
    }
  }

  @Test
  void execOnATerminalSeesItsSizeChange() throws Exception {
    String id = runContainer("main", List.of("sleep", "3600"), false);

    try (StreamSession session =
        streaming.exec(
            id,
            List.of("sh", "-c", "while read x; do [ \"$x\" = q ] && exit 0; tty; stty size; done"),
            new StreamOptions(true, true, true, true))) {
      assertThat(session.stderr()).as("a terminal merges stderr into stdout").isNull();
      Collector out = Collector.start(session.stdout());
      await()
          .atMost(DEADLINE)
          .untilAsserted(
              () -> {
                session.resize(123, 45);
                session.stdin().write("\n".getBytes(StandardCharsets.UTF_8));
                session.stdin().flush();
                assertThat(out.text()).contains("/dev/pts/").contains("45 123");
              });
      session.stdin().write("q\n".getBytes(StandardCharsets.UTF_8));
      session.stdin().flush();
      assertThat(session.exit().get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isZero();
    }
  }

  @Test
  void attachReachesTheMainProcessStdinAndReportsItsExitCode() throws Exception {
    String id = runContainer("main", List.of("sh", "-c", "read x; echo got $x; exit 7"), true);

    try (StreamSession session = streaming.attach(id, new StreamOptions(true, true, true, false))) {
      session.stdin().write("ping\n".getBytes(StandardCharsets.UTF_8));
      session.stdin().flush();
      assertThat(text(session.stdout())).isEqualTo("got ping\n");
      assertThat(session.exit().get(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(7);
    }
  }

  @Test
  void portForwardFetchesFromAServerInThePod() {
    runContainer(
        "web",
        List.of(
            "sh",
            "-c",
            "mkdir -p /www && echo hello-from-pod > /www/index.html && exec httpd -f -p 8080 -h"
                + " /www"),
        false);

    await()
        .atMost(DEADLINE)
        .ignoreExceptionsInstanceOf(UncheckedIOException.class)
        .untilAsserted(() -> assertThat(httpGet(8080)).contains("200").contains("hello-from-pod"));
  }

  @Test
  void portForwardToAClosedPortFailsWithTheRuntimesReason() {
    runContainer("main", List.of("sleep", "3600"), false);

    try (PortStream stream = streaming.portForward(sandboxId, 9)) {
      assertThatThrownBy(() -> stream.input().readAllBytes())
          .isInstanceOf(IOException.class)
          .hasMessageContaining("port-forward failed")
          .hasMessageContaining("9");
    }
  }

  @Test
  void execInAnUnknownContainerNamesIt() {
    assertThatThrownBy(() -> streaming.exec("no-such-container", List.of("true"), OUT_AND_ERR))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no-such-container")
        .hasCauseInstanceOf(CriException.class);
  }

  @Test
  void execInAnExitedContainerSaysItIsNotRunning() {
    String id = runContainer("main", List.of("true"), false);
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                cri.containerStatus(id).getState()
                    == io.flotilla.node.runtime.cri.v1.ContainerState.CONTAINER_EXITED);

    assertThatThrownBy(() -> streaming.exec(id, List.of("true"), OUT_AND_ERR))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(id);
  }

  private String httpGet(int port) {
    try (PortStream stream = streaming.portForward(sandboxId, port)) {
      stream.output().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      stream.output().flush();
      stream.output().close();
      return new String(stream.input().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String runContainer(String name, List<String> command, boolean stdin) {
    PodSandboxConfig sandbox =
        PodSandboxConfig.newBuilder()
            .setMetadata(
                PodSandboxMetadata.newBuilder()
                    .setName("streaming")
                    .setNamespace("default")
                    .setUid(UUID.randomUUID().toString()))
            .setHostname("streaming")
            .setLogDirectory(containerd.newPodLogDir().toString())
            .build();
    sandboxId = cri.runPodSandbox(sandbox);
    ContainerConfig config =
        ContainerConfig.newBuilder()
            .setMetadata(ContainerMetadata.newBuilder().setName(name))
            .setImage(ImageSpec.newBuilder().setImage(TestImages.BUSYBOX))
            .addAllCommand(command)
            .setStdin(stdin)
            .setStdinOnce(stdin)
            .setLogPath(name + "_0.log")
            .build();
    String id = cri.createContainer(sandboxId, config, sandbox);
    cri.startContainer(id);
    return id;
  }

  private static String text(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  /** Reads a stream on a thread of its own so a test can poll what has arrived. */
  private static final class Collector {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    static Collector start(InputStream in) {
      Collector c = new Collector();
      Thread.ofVirtual()
          .start(
              () -> {
                byte[] buf = new byte[4096];
                try {
                  for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (c) {
                      c.bytes.write(buf, 0, n);
                    }
                  }
                } catch (IOException e) {
                  // the session ended
                }
              });
      return c;
    }

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}
