package io.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code flotilla agent --runtime simulated} against the real server, watched with kubectl. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulatedAgentE2ETest {
  private static final Duration WAIT = Duration.ofSeconds(120);
  @TempDir static Path dir;
  private FlotillaProcess server;
  private Process agent;
  private Kubectl kubectl;

  @BeforeAll
  void start() throws Exception {
    server = FlotillaProcess.start(dir.resolve("data"));
    kubectl = new Kubectl(server.kubeconfig());
    agent =
        FlotillaProcess.startAgent(
            ProcessBuilder.Redirect.to(dir.resolve("agent.log").toFile()),
            "--runtime",
            "simulated",
            "--nodes",
            "3",
            "--kubeconfig",
            server.kubeconfig().toString());
  }

  @AfterAll
  void stop() throws Exception {
    FlotillaProcess.stopAgent(agent);
    if (server != null) {
      server.close();
    }
  }

  @Test
  void kubectlShowsThreeReadyNodesAndABoundPodRuns() throws Exception {
    await("3 Ready nodes")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              assertThat(agent.isAlive()).as(log()).isTrue();
              Kubectl.Result r = kubectl.run("get", "nodes", "--no-headers");
              return r.exitCode() == 0
                  && r.stdout().lines().filter(l -> l.matches("sim-\\d+\\s+Ready\\s.*")).count()
                      == 3;
            });
    kubectl
        .runWithInput(
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: bound
            spec:
              nodeName: sim-2
              containers:
              - name: web
                image: nginx:1.27
            """,
            "apply",
            "-f",
            "-")
        .assertOk();
    await("pod Running")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                kubectl
                    .run("get", "pod", "bound", "-o", "jsonpath={.status.phase} {.status.podIP}")
                    .stdout()
                    .startsWith("Running 10.244.2."));
    Kubectl.Result wide = kubectl.run("get", "pod", "bound", "--no-headers").assertOk();
    assertThat(wide.stdout()).contains("1/1").contains("Running");
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("agent.log"));
    } catch (Exception e) {
      return "(no agent.log)";
    }
  }
}
