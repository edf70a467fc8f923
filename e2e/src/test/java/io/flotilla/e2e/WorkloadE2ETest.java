package io.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One workload, driven with the real kubectl, that every node runtime must run the same way: a
 * Deployment of busybox httpd pods serving a ConfigMap, {@code logs -f}, {@code exec} with exit
 * codes, {@code cp}, {@code port-forward}, a failing liveness probe, a crash loop with growing
 * back-off, preStop on delete, and {@code top}. Subclasses start the cluster with their runtime.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WorkloadE2ETest {
  protected static final Duration WAIT = Duration.ofSeconds(180);
  @TempDir protected static Path dir;
  protected Kubectl kubectl;
  private int httpPort;

  /** Starts the control plane and one node of this runtime; returns the admin kubeconfig. */
  protected abstract Path startCluster(Path dir) throws Exception;

  protected abstract void stopCluster() throws Exception;

  /** The node the workload runs on. */
  protected abstract String nodeName();

  /** The busybox image reference the runtime can run. */
  protected abstract String busyboxImage();

  /** How many httpd replicas fit on the node (pods of the process runtime share its ports). */
  protected abstract int httpdReplicas();

  @BeforeAll
  void startAll() throws Exception {
    httpPort = FlotillaProcess.freePort();
    kubectl = new Kubectl(startCluster(dir));
    await("node Ready")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                kubectl
                    .run(
                        "get",
                        "node",
                        nodeName(),
                        "-o",
                        "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")
                    .stdout()
                    .equals("True"));
    kubectl
        .runWithInput(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: site}
            data: {index.html: "hello v1"}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: %d
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  terminationGracePeriodSeconds: 5
                  containers:
                  - name: httpd
                    image: %s
                    imagePullPolicy: IfNotPresent
                    command: [busybox, httpd, -f, -p, "%d", -h, /www]
                    readinessProbe:
                      httpGet: {path: /index.html, port: %d}
                      periodSeconds: 1
                    volumeMounts:
                    - {name: site, mountPath: /www}
                  volumes:
                  - name: site
                    configMap: {name: site}
            """
                .formatted(httpdReplicas(), busyboxImage(), httpPort, httpPort),
            "apply",
            "-f",
            "-")
        .assertOk();
    kubectl.run("rollout", "status", "deployment/web", "--timeout=180s").assertOk();
  }

  @AfterAll
  void stopAll() throws Exception {
    stopCluster();
  }

  private String webPod() {
    return kubectl
        .run("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}")
        .assertOk()
        .stdout();
  }

  private void apply(String yaml) {
    kubectl.runWithInput(yaml, "apply", "-f", "-").assertOk();
  }

  private String jsonpath(String pod, String path) {
    return kubectl.run("get", "pod", pod, "-o", "jsonpath=" + path).stdout();
  }

  @Test
  void theDeploymentsPodsAreReadyAndServeTheConfigMap() {
    String ready =
        kubectl
            .run("get", "deployment", "web", "-o", "jsonpath={.status.readyReplicas}")
            .assertOk()
            .stdout();
    assertThat(ready).isEqualTo(Integer.toString(httpdReplicas()));
    assertThat(kubectl.run("exec", webPod(), "--", "cat", "/www/index.html").assertOk().stdout())
        .isEqualTo("hello v1");
  }

  @Test
  void execPassesOutputAndExitCodesThrough() {
    String pod = webPod();
    Kubectl.Result ok = kubectl.run("exec", pod, "--", "sh", "-c", "echo out; echo err >&2");
    assertThat(ok.exitCode()).isZero();
    assertThat(ok.stdout()).isEqualTo("out\n");
    assertThat(ok.stderr()).contains("err");
    assertThat(kubectl.run("exec", pod, "--", "sh", "-c", "exit 7").exitCode()).isEqualTo(7);
    assertThat(
            kubectl
                .runWithInput("piped through stdin", "exec", "-i", pod, "--", "cat")
                .assertOk()
                .stdout())
        .isEqualTo("piped through stdin");
  }

  @Test
  void cpCopiesAFileIntoThePodAndBack() throws IOException {
    String pod = webPod();
    Path local = dir.resolve("to-pod.txt");
    Files.writeString(local, "copied with kubectl cp\n");
    String remote = "/tmp/flotilla-cp-" + ProcessHandle.current().pid() + ".txt";
    kubectl.run("cp", local.toString(), pod + ":" + remote).assertOk();
    assertThat(kubectl.run("exec", pod, "--", "cat", remote).assertOk().stdout())
        .isEqualTo("copied with kubectl cp\n");
    Path back = dir.resolve("from-pod.txt");
    kubectl.run("cp", pod + ":" + remote, back.toString()).assertOk();
    assertThat(back).hasContent("copied with kubectl cp");
    kubectl.run("exec", pod, "--", "rm", "-f", remote).assertOk();
  }

  @Test
  void portForwardReachesTheHttpServerThroughLoopback() throws Exception {
    int local = FlotillaProcess.freePort();
    Path out = dir.resolve("port-forward.log");
    Process pf = kubectl.start(out, "port-forward", "pod/" + webPod(), local + ":" + httpPort);
    try {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest get =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + local + "/index.html"))
              .timeout(Duration.ofSeconds(10))
              .build();
      await("page through port-forward")
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(
              () -> http.send(get, HttpResponse.BodyHandlers.ofString()).body(),
              b -> b.startsWith("hello"));
    } finally {
      pf.destroy();
      pf.waitFor();
    }
  }

  @Test
  void logsFollowSeesLinesAsTheyAreWritten() throws Exception {
    apply(
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: counter}
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: main
            image: %s
            imagePullPolicy: IfNotPresent
            command: [sh, -c, 'i=0; while true; do echo "line $i"; i=$((i+1)); sleep 0.3; done']
        """
            .formatted(busyboxImage()));
    await("counter Running")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> jsonpath("counter", "{.status.phase}").equals("Running"));
    Path out = dir.resolve("logs-f.log");
    Process follow = kubectl.start(out, "logs", "-f", "counter");
    try {
      await("followed lines")
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(300))
          .until(() -> Files.readString(out).contains("line 8"));
      assertThat(follow.isAlive()).as("logs -f still following").isTrue();
      assertThat(Files.readString(out)).startsWith("line 0\n");
    } finally {
      follow.destroy();
      follow.waitFor();
    }
    assertThat(kubectl.run("logs", "counter", "--tail=1").assertOk().stdout()).startsWith("line ");
    kubectl.run("delete", "pod", "counter", "--wait=false").assertOk();
  }

  @Test
  void aFailingLivenessProbeRestartsTheContainer() {
    apply(
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: unhealthy}
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: main
            image: %s
            imagePullPolicy: IfNotPresent
            command: [sh, -c, 'touch /tmp/healthy-$$; sleep 3600']
            livenessProbe:
              exec: {command: [sh, -c, 'exit 1']}
              periodSeconds: 1
              failureThreshold: 2
        """
            .formatted(busyboxImage()));
    await("restartCount raised by the liveness probe")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              String n = jsonpath("unhealthy", "{.status.containerStatuses[0].restartCount}");
              return !n.isEmpty() && Integer.parseInt(n) >= 1;
            });
    kubectl.run("delete", "pod", "unhealthy", "--wait=false").assertOk();
  }

  @Test
  void aCrashingContainerBacksOffWithGrowingDelays() {
    apply(
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: crasher}
        spec:
          containers:
          - name: main
            image: %s
            imagePullPolicy: IfNotPresent
            command: [sh, -c, 'exit 1']
        """
            .formatted(busyboxImage()));
    // Each restart's start time, observed as restartCount rises: the gaps between starts are the
    // back-off (10 s, 20 s, …) plus the tiny run time, so they must grow.
    List<Instant> starts = new ArrayList<>();
    await("three restarts in CrashLoopBackOff")
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              String s =
                  jsonpath(
                      "crasher",
                      "{.status.containerStatuses[0].restartCount} "
                          + "{.status.containerStatuses[0].lastState.terminated.startedAt} "
                          + "{.status.containerStatuses[0].state.waiting.reason}");
              String[] f = s.split(" ");
              if (f.length >= 2 && !f[1].isEmpty()) {
                Instant started = Instant.parse(f[1]);
                if (starts.isEmpty() || started.isAfter(starts.get(starts.size() - 1))) {
                  starts.add(started);
                }
              }
              return starts.size() >= 4 && s.endsWith("CrashLoopBackOff");
            });
    Duration first = Duration.between(starts.get(1), starts.get(2));
    Duration second = Duration.between(starts.get(2), starts.get(3));
    assertThat(second).isGreaterThan(first);
    kubectl.run("delete", "pod", "crasher", "--wait=false").assertOk();
  }

  @Test
  void deleteRunsPreStopAndStopsWithinTheGracePeriod() throws Exception {
    Path marker = dir.resolve("prestop");
    Files.createDirectories(marker);
    apply(
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: stopper}
        spec:
          terminationGracePeriodSeconds: 10
          containers:
          - name: main
            image: %s
            imagePullPolicy: IfNotPresent
            command: [sh, -c, 'trap "" TERM; sleep 3600 & wait']
            lifecycle:
              preStop:
                exec: {command: [sh, -c, 'echo ran > /marker/prestop.txt']}
            volumeMounts:
            - {name: marker, mountPath: /marker}
          volumes:
          - name: marker
            hostPath: {path: %s, type: Directory}
        """
            .formatted(busyboxImage(), marker));
    await("stopper Running")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> jsonpath("stopper", "{.status.phase}").equals("Running"));
    kubectl.run("delete", "pod", "stopper", "--timeout=120s").assertOk();
    assertThat(marker.resolve("prestop.txt")).hasContent("ran");
    assertThat(kubectl.run("get", "pod", "stopper").exitCode()).isNotZero();
  }

  @Test
  void aConfigMapChangeReachesTheMountedVolume() {
    String pod = webPod();
    apply(
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: site}
        data: {index.html: "hello v2"}
        """);
    await("updated file in the volume")
        .atMost(WAIT)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> kubectl.run("exec", pod, "--", "cat", "/www/index.html").stdout(),
            "hello v2"::equals);
    apply(
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: site}
        data: {index.html: "hello v1"}
        """);
  }

  @Test
  void topShowsCpuAndMemoryOfPodsAndTheNode() {
    await("kubectl top pod figures")
        .atMost(WAIT)
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              Kubectl.Result r = kubectl.run("top", "pod", "--no-headers");
              return r.exitCode() == 0 && r.stdout().matches("(?s).*web-\\S+\\s+\\d+m\\s+\\d+Mi.*");
            });
    Kubectl.Result node = kubectl.run("top", "node", "--no-headers").assertOk();
    assertThat(node.stdout()).startsWith(nodeName()).containsPattern("\\d+m\\s+\\d+%\\s+\\d+Mi");
  }
}
