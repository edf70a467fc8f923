package io.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flotilla server} plus {@code flotilla agent --runtime process}: this machine becomes a
 * node, the in-process scheduler binds bare pods to it, and their commands run as host processes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProcessAgentE2ETest {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String NODE = "e2e-process-node";
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
            "process",
            "--node-name",
            NODE,
            "--data-dir",
            dir.resolve("agent").toString(),
            "--kubelet-port",
            "0",
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

  private void awaitNodeReady() {
    await("node Ready")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              assertThat(agent.isAlive()).as(log()).isTrue();
              Kubectl.Result r = kubectl.run("get", "node", NODE, "--no-headers");
              return r.exitCode() == 0 && r.stdout().matches("(?s)" + NODE + "\\s+Ready\\s.*");
            });
  }

  @Test
  void aBarePodIsScheduledToThisMachineAndItsCommandRuns() throws Exception {
    awaitNodeReady();
    kubectl
        .runWithInput(
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: greeter
            spec:
              terminationGracePeriodSeconds: 5
              containers:
              - name: main
                image: busybox
                command: [sh, -c, 'echo "hello from $(POD_NAME) on $NODE"; sleep 3600']
                env:
                - name: POD_NAME
                  valueFrom: {fieldRef: {fieldPath: metadata.name}}
                - name: NODE
                  valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
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
                    .run(
                        "get",
                        "pod",
                        "greeter",
                        "-o",
                        "jsonpath={.spec.nodeName} {.status.phase} {.status.podIP}")
                    .stdout()
                    .equals(NODE + " Running 127.0.0.1"));
    assertThat(kubectl.run("get", "pod", "greeter", "--no-headers").assertOk().stdout())
        .contains("1/1")
        .contains("Running");
    await("log line")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> logLines().anyMatch(l -> l.endsWith("stdout F hello from greeter on " + NODE)));
    kubectl.run("delete", "pod", "greeter", "--wait=true", "--timeout=90s").assertOk();
    assertThat(kubectl.run("get", "pod", "greeter").exitCode()).isNotZero();
  }

  @Test
  void aPodThatExitsThreeUnderNeverEndsFailedWithItsExitCode() {
    awaitNodeReady();
    kubectl
        .runWithInput(
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: exit-three
            spec:
              restartPolicy: Never
              containers:
              - name: main
                image: busybox
                command: [sh, -c, 'exit 3']
            """,
            "apply",
            "-f",
            "-")
        .assertOk();
    await("pod Failed")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                kubectl
                    .run(
                        "get",
                        "pod",
                        "exit-three",
                        "-o",
                        "jsonpath={.status.phase} {.status.containerStatuses[0].state.terminated.exitCode}")
                    .stdout()
                    .equals("Failed 3"));
  }

  private Stream<String> logLines() throws Exception {
    Path logs = dir.resolve("agent").resolve("logs");
    if (!Files.isDirectory(logs)) {
      return Stream.empty();
    }
    List<String> out = new ArrayList<>();
    try (var walk = Files.walk(logs)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.addAll(Files.readAllLines(p));
      }
    }
    return out.stream();
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("agent.log"));
    } catch (Exception e) {
      return "(no agent.log)";
    }
  }
}
