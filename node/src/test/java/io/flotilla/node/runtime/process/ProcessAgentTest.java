package io.flotilla.node.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.flotilla.node.AgentOptions;
import io.flotilla.node.runtime.ExecResult;
import io.flotilla.testing.InProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The process agent against a real in-process apiserver: pods run as host processes with their env,
 * volumes, probes, hooks, restart policy and graceful termination.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProcessAgentTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String NODE = "proc-node";
  private InProcessCluster cluster;
  private KubernetesClient client;
  private ProcessAgent agent;
  private Path dataDir;
  private Path scratch;

  @BeforeAll
  void start() throws Exception {
    cluster = InProcessCluster.start();
    client = cluster.client();
    dataDir = Files.createTempDirectory("flotilla-proc-agent");
    scratch = Files.createTempDirectory("flotilla-proc-scratch");
    // Containers running as another user reach their mount points through it.
    Files.setPosixFilePermissions(
        scratch, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    AgentOptions opts =
        AgentOptions.defaults()
            .withRestartBackoff(
                Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofMinutes(10))
            .withIntervals(Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofMillis(500));
    agent = ProcessAgent.start(client, NODE, "127.0.0.1", dataDir, opts);
  }

  @AfterAll
  void stop() {
    if (agent != null) {
      agent.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    ProcessRuntime.deleteTree(dataDir);
    ProcessRuntime.deleteTree(scratch);
  }

  private Pod create(String yaml) {
    Pod p = Serialization.unmarshal(yaml, Pod.class);
    p.getMetadata().setNamespace("default");
    p.getSpec().setNodeName(NODE);
    return client.pods().resource(p).create();
  }

  private Pod awaitPod(String name, Predicate<Pod> ok) {
    return await()
        .atMost(WAIT)
        .until(
            () -> client.pods().inNamespace("default").withName(name).get(),
            p -> p != null && ok.test(p));
  }

  private static boolean running(Pod p) {
    return "Running".equals(p.getStatus().getPhase())
        && p.getStatus().getContainerStatuses() != null
        && p.getStatus().getContainerStatuses().stream()
            .allMatch(c -> c.getState() != null && c.getState().getRunning() != null);
  }

  private static ContainerStatus status(Pod p, String container) {
    List<ContainerStatus> all = new ArrayList<>();
    if (p.getStatus().getContainerStatuses() != null) {
      all.addAll(p.getStatus().getContainerStatuses());
    }
    return all.stream().filter(c -> c.getName().equals(container)).findFirst().orElse(null);
  }

  private Path log(Pod p, String container, int attempt) {
    var m = p.getMetadata();
    return dataDir
        .resolve("logs")
        .resolve(m.getNamespace() + "_" + m.getName() + "_" + m.getUid())
        .resolve(container)
        .resolve(attempt + ".log");
  }

  private List<String> lines(Path f) throws Exception {
    return Files.exists(f) ? Files.readAllLines(f) : List.of();
  }

  private String containerId(Pod p, String container) {
    return status(p, container).getContainerID().substring("process://".length());
  }

  @Test
  void registersThisMachineWithItsCapacity() {
    Node n = client.nodes().withName(NODE).get();
    assertThat(n.getStatus().getCapacity()).containsKeys("cpu", "memory", "pods");
    assertThat(n.getStatus().getCapacity().get("pods").getAmount()).isEqualTo("110");
    assertThat(n.getStatus().getNodeInfo().getContainerRuntimeVersion())
        .isEqualTo("process://0.1.0");
    assertThat(n.getStatus().getNodeInfo().getKernelVersion()).isNotBlank();
    assertThat(n.getStatus().getAddresses())
        .anySatisfy(a -> assertThat(a.getType()).isEqualTo("InternalIP"))
        .anySatisfy(a -> assertThat(a.getType()).isEqualTo("Hostname"));
  }

  @Test
  void podRunsAndItsOutputIsInTheCriLog() throws Exception {
    create(
        """
        metadata: {name: hello}
        spec:
          containers:
          - name: main
            image: ignored
            command: [sh, -c, 'echo hi; sleep 3600']
        """);
    Pod p = awaitPod("hello", ProcessAgentTest::running);
    assertThat(p.getStatus().getPodIP()).isEqualTo("127.0.0.1");
    Path log = log(p, "main", 0);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(lines(log)).anySatisfy(l -> assertThat(l).matches("\\S+Z stdout F hi")));
    client.pods().inNamespace("default").withName("hello").withGracePeriod(1).delete();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(client.pods().inNamespace("default").withName("hello").get()).isNull();
              assertThat(log.getParent().getParent())
                  .as("logs removed with the pod")
                  .doesNotExist();
            });
  }

  @Test
  void envFromConfigMapFieldRefAndExpansionReachTheProcess() throws Exception {
    client
        .configMaps()
        .inNamespace("default")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("env-cm")
                .endMetadata()
                .withData(Map.of("greeting", "hello", "colour", "blue"))
                .build())
        .create();
    create(
        """
        metadata: {name: env-pod, labels: {app: envy}}
        spec:
          containers:
          - name: main
            image: ignored
            command: [sh, -c]
            args: ['echo "$(GREETING) $POD_NAME $APP $CFG_colour $NODE" ''[$$(LITERAL)]''; sleep 3600']
            envFrom:
            - prefix: CFG_
              configMapRef: {name: env-cm}
            - configMapRef: {name: missing-but-optional, optional: true}
            env:
            - name: GREETING
              valueFrom: {configMapKeyRef: {name: env-cm, key: greeting}}
            - name: POD_NAME
              valueFrom: {fieldRef: {fieldPath: metadata.name}}
            - name: APP
              valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}
            - name: NODE
              valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
        """);
    Pod p = awaitPod("env-pod", ProcessAgentTest::running);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(lines(log(p, "main", 0)))
                    .anySatisfy(
                        l ->
                            assertThat(l)
                                .endsWith(
                                    "stdout F hello env-pod envy blue " + NODE + " [$(LITERAL)]")));
  }

  @Test
  void missingConfigMapKeepsTheContainerWaitingWithAConfigError() {
    create(
        """
        metadata: {name: no-cm}
        spec:
          containers:
          - name: main
            image: ignored
            command: [sleep, '3600']
            env:
            - name: X
              valueFrom: {configMapKeyRef: {name: nope, key: k}}
        """);
    Pod p =
        awaitPod(
            "no-cm",
            x ->
                status(x, "main") != null
                    && status(x, "main").getState().getWaiting() != null
                    && "CreateContainerConfigError"
                        .equals(status(x, "main").getState().getWaiting().getReason()));
    assertThat(status(p, "main").getState().getWaiting().getMessage())
        .isEqualTo("configmap \"nope\" not found");
  }

  @Test
  void configMapVolumeIsReadableAndFollowsUpdates() throws Exception {
    Path mount = scratch.resolve("cm-mount");
    client
        .configMaps()
        .inNamespace("default")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("vol-cm")
                .endMetadata()
                .withData(Map.of("key", "one"))
                .build())
        .create();
    create(
        """
        metadata: {name: vol-pod}
        spec:
          volumes:
          - name: cfg
            configMap: {name: vol-cm}
          - name: scratch
            emptyDir: {}
          containers:
          - name: main
            image: ignored
            command: [sh, -c, 'cat %s/key; echo; sleep 3600']
            volumeMounts:
            - {name: cfg, mountPath: %s}
            - {name: scratch, mountPath: %s}
        """
            .formatted(mount, mount, scratch.resolve("empty-mount")));
    Pod p = awaitPod("vol-pod", ProcessAgentTest::running);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(lines(log(p, "main", 0)))
                    .anySatisfy(l -> assertThat(l).endsWith("stdout F one")));
    String id = containerId(p, "main");
    client
        .configMaps()
        .inNamespace("default")
        .withName("vol-cm")
        .edit(cm -> new ConfigMapBuilder(cm).withData(Map.of("key", "two")).build());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              ExecResult r =
                  agent
                      .runtime()
                      .execSync(id, List.of("cat", mount + "/key"), Duration.ofSeconds(10));
              assertThat(r.stdout()).isEqualTo("two");
            });
  }

  @Test
  void secretDownwardApiAndProjectedVolumesHoldTheirFilesReadOnlyAndPostStartRuns()
      throws Exception {
    client
        .secrets()
        .inNamespace("default")
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("vol-secret")
                .endMetadata()
                .withStringData(Map.of("password", "hunter2", "other", "x"))
                .build())
        .create();
    Path base = scratch.resolve("multi");
    create(
        """
        metadata: {name: multi-vol, labels: {tier: backend}}
        spec:
          volumes:
          - name: sec
            secret:
              secretName: vol-secret
              defaultMode: 0400
              items: [{key: password, path: creds/pw}]
          - name: info
            downwardAPI:
              items:
              - {path: labels, fieldRef: {fieldPath: metadata.labels}}
              - {path: name, fieldRef: {fieldPath: metadata.name}}
          - name: all
            projected:
              sources:
              - secret: {name: vol-secret, items: [{key: other, path: other}]}
              - downwardAPI: {items: [{path: ns, fieldRef: {fieldPath: metadata.namespace}}]}
          - name: work
            emptyDir: {medium: Memory}
          containers:
          - name: main
            image: ignored
            command: [sleep, '3600']
            lifecycle:
              postStart:
                exec: {command: [sh, -c, 'echo started > %1$s/work/hook']}
            volumeMounts:
            - {name: sec, mountPath: %1$s/sec}
            - {name: info, mountPath: %1$s/info}
            - {name: all, mountPath: %1$s/all}
            - {name: work, mountPath: %1$s/work}
        """
            .formatted(base));
    Pod p = awaitPod("multi-vol", ProcessAgentTest::running);
    String id = containerId(p, "main");
    java.util.function.Function<String, ExecResult> sh =
        cmd -> agent.runtime().execSync(id, List.of("sh", "-c", cmd), Duration.ofSeconds(20));
    assertThat(sh.apply("cat " + base + "/sec/creds/pw").stdout()).isEqualTo("hunter2");
    assertThat(sh.apply("stat -L -c %a " + base + "/sec/creds/pw").stdout().trim())
        .isEqualTo("400");
    assertThat(sh.apply("cat " + base + "/info/labels").stdout()).isEqualTo("tier=\"backend\"");
    assertThat(sh.apply("cat " + base + "/info/name").stdout()).isEqualTo("multi-vol");
    assertThat(sh.apply("cat " + base + "/all/other " + base + "/all/ns").stdout())
        .isEqualTo("xdefault");
    assertThat(sh.apply("cat " + base + "/work/hook").stdout()).isEqualTo("started\n");
    assertThat(sh.apply("touch " + base + "/sec/new").exitCode()).isNotZero();
  }

  @Test
  void runAsUserAndGroupSwitchTheProcessUser() throws Exception {
    create(
        """
        metadata: {name: as-user}
        spec:
          securityContext: {runAsGroup: 2000}
          volumes: [{name: scratch, emptyDir: {}}]
          containers:
          - name: main
            image: ignored
            command: [sh, -c, 'echo "$(id -u):$(id -g)"; touch %s/written && echo wrote; sleep 3600']
            securityContext: {runAsUser: 1000}
            volumeMounts: [{name: scratch, mountPath: %s}]
        """
            .formatted(scratch.resolve("as-user"), scratch.resolve("as-user")));
    Pod p = awaitPod("as-user", ProcessAgentTest::running);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(lines(log(p, "main", 0)))
                    .anySatisfy(l -> assertThat(l).endsWith("stdout F 1000:2000"))
                    .anySatisfy(l -> assertThat(l).endsWith("stdout F wrote")));
  }

  @Test
  void initContainersRunInOrderBeforeTheApp() throws Exception {
    Path shared = scratch.resolve("init-shared");
    create(
        """
        metadata: {name: init-pod}
        spec:
          volumes:
          - name: work
            emptyDir: {}
          initContainers:
          - name: first
            image: ignored
            command: [sh, -c, 'echo first >> %1$s/order']
            volumeMounts: [{name: work, mountPath: %1$s}]
          - name: second
            image: ignored
            command: [sh, -c, 'echo second >> %1$s/order']
            volumeMounts: [{name: work, mountPath: %1$s}]
          containers:
          - name: main
            image: ignored
            command: [sh, -c, 'tr "\\n" " " < %1$s/order; echo; sleep 3600']
            volumeMounts: [{name: work, mountPath: %1$s}]
        """
            .formatted(shared));
    Pod p = awaitPod("init-pod", ProcessAgentTest::running);
    assertThat(p.getStatus().getInitContainerStatuses())
        .allSatisfy(
            s -> assertThat(s.getState().getTerminated().getReason()).isEqualTo("Completed"));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(lines(log(p, "main", 0)))
                    .anySatisfy(l -> assertThat(l).endsWith("stdout F first second ")));
  }

  @Test
  void failingLivenessProbeRestartsTheContainer() {
    create(
        """
        metadata: {name: liveness}
        spec:
          containers:
          - name: main
            image: ignored
            command: [sleep, '3600']
            livenessProbe:
              exec: {command: ['false']}
              periodSeconds: 1
              failureThreshold: 1
        """);
    Pod p =
        awaitPod(
            "liveness", x -> status(x, "main") != null && status(x, "main").getRestartCount() >= 1);
    assertThat(status(p, "main").getLastState().getTerminated()).isNotNull();
  }

  @Test
  void readinessProbeGatesReady() {
    create(
        """
        metadata: {name: readiness}
        spec:
          containers:
          - name: main
            image: ignored
            command: [sh, -c, 'sleep 1; touch ready; sleep 3600']
            readinessProbe:
              exec: {command: [test, -f, ready]}
              periodSeconds: 1
        """);
    Pod p = awaitPod("readiness", x -> status(x, "main") != null && status(x, "main").getReady());
    assertThat(p.getStatus().getConditions())
        .filteredOn(c -> c.getType().equals("Ready"))
        .extracting(PodCondition::getStatus)
        .containsExactly("True");
  }

  @Test
  void crashingContainerGoesToCrashLoopBackOffWithGrowingDelays() {
    create(
        """
        metadata: {name: crasher}
        spec:
          containers:
          - name: main
            image: ignored
            command: [sh, -c, 'echo boom; exit 1']
        """);
    List<String> messages = new ArrayList<>();
    awaitPod(
        "crasher",
        x -> {
          ContainerStatus s = status(x, "main");
          if (s != null
              && s.getState().getWaiting() != null
              && "CrashLoopBackOff".equals(s.getState().getWaiting().getReason())) {
            String m = s.getState().getWaiting().getMessage();
            if (!messages.contains(m)) {
              messages.add(m);
            }
          }
          return s != null && s.getRestartCount() >= 3;
        });
    assertThat(messages)
        .anySatisfy(
            m -> assertThat(m).startsWith("back-off 500ms restarting failed container=main"))
        .anySatisfy(m -> assertThat(m).startsWith("back-off 1s restarting"))
        .anySatisfy(m -> assertThat(m).startsWith("back-off 2s restarting"));
  }

  @Test
  void deleteRunsPreStopAndStopsGracefullyWithSigterm() throws Exception {
    Path marks = scratch.resolve("marks");
    Files.createDirectories(marks);
    create(
        """
        metadata: {name: graceful}
        spec:
          terminationGracePeriodSeconds: 30
          volumes:
          - name: marks
            hostPath: {path: %1$s, type: Directory}
          containers:
          - name: main
            image: ignored
            command: [sh, -c, 'trap "echo term > %2$s/term; exit 0" TERM; while true; do sleep 0.1; done']
            volumeMounts: [{name: marks, mountPath: %2$s}]
            lifecycle:
              preStop:
                exec: {command: [sh, -c, 'echo prestop > %2$s/prestop']}
        """
            .formatted(marks, scratch.resolve("marks-mount")));
    awaitPod("graceful", ProcessAgentTest::running);
    client.pods().inNamespace("default").withName("graceful").delete();
    await()
        .atMost(WAIT)
        .until(() -> client.pods().inNamespace("default").withName("graceful").get() == null);
    assertThat(Files.readString(marks.resolve("prestop"))).isEqualTo("prestop\n");
    assertThat(Files.readString(marks.resolve("term"))).isEqualTo("term\n");
  }

  @Test
  void processIgnoringSigtermIsKilledAfterTheGracePeriod() {
    create(
        """
        metadata: {name: stubborn}
        spec:
          terminationGracePeriodSeconds: 2
          containers:
          - name: main
            image: ignored
            command: [sh, -c, 'trap "" TERM; while true; do sleep 0.1; done']
        """);
    awaitPod("stubborn", ProcessAgentTest::running);
    client.pods().inNamespace("default").withName("stubborn").delete();
    await()
        .atMost(WAIT)
        .until(() -> client.pods().inNamespace("default").withName("stubborn").get() == null);
    assertThat(agent.runtime().runningContainers()).doesNotContain("stubborn/main");
  }

  @Test
  void jobLikePodExitingThreeEndsFailedWithExitCodeThree() {
    create(
        """
        metadata: {name: job-like}
        spec:
          restartPolicy: Never
          containers:
          - name: main
            image: ignored
            command: [sh, -c, 'exit 3']
        """);
    Pod p = awaitPod("job-like", x -> "Failed".equals(x.getStatus().getPhase()));
    var t = status(p, "main").getState().getTerminated();
    assertThat(t.getExitCode()).isEqualTo(3);
    assertThat(t.getReason()).isEqualTo("Error");
    assertThat(status(p, "main").getRestartCount()).isZero();
  }
}
