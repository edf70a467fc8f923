package io.flotilla.node.runtime.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.testing.InProcessCluster;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The simulated agent against a real in-process apiserver. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulatedAgentTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private InProcessCluster cluster;
  private KubernetesClient client;
  private SimulatedAgent agent;

  @BeforeAll
  void start() {
    cluster = InProcessCluster.start();
    client = cluster.client();
    agent =
        SimulatedAgent.start(
            client,
            SimulatedNodeOptions.defaults()
                .withNodes(3)
                .withNamePrefix("sim-")
                .withCapacity("16", "64Gi", 50)
                .withLabels(Map.of("zone", "a"))
                .withTaints(SimulatedNodeOptions.parseTaints("dedicated=sim:NoSchedule"))
                .withIntervals(Duration.ofMillis(200), Duration.ofMinutes(5))
                .withRestartBackoff(Duration.ofMillis(100), Duration.ofMillis(400)));
  }

  @AfterAll
  void stop() {
    if (agent != null) {
      agent.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void registersNodesWithCapacityLabelsTaintsAndPodCidrs() {
    List<Node> nodes = client.nodes().list().getItems();
    Map<String, Node> byName =
        nodes.stream().collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n));
    assertThat(byName).containsKeys("sim-0", "sim-1", "sim-2");
    Node n = byName.get("sim-1");
    assertThat(n.getStatus().getCapacity())
        .containsEntry("cpu", new Quantity("16"))
        .containsEntry("memory", new Quantity("64Gi"))
        .containsEntry("pods", new Quantity("50"));
    assertThat(n.getStatus().getAllocatable()).containsEntry("cpu", new Quantity("16"));
    assertThat(n.getMetadata().getLabels())
        .containsEntry("kubernetes.io/hostname", "sim-1")
        .containsEntry("kubernetes.io/os", "linux")
        .containsEntry("node.kubernetes.io/instance-type", "simulated")
        .containsEntry("zone", "a");
    assertThat(n.getSpec().getTaints())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getKey()).isEqualTo("dedicated");
              assertThat(t.getValue()).isEqualTo("sim");
              assertThat(t.getEffect()).isEqualTo("NoSchedule");
            });
    assertThat(n.getSpec().getPodCIDR()).isEqualTo("10.244.1.0/24");
    assertThat(n.getStatus().getNodeInfo().getContainerRuntimeVersion())
        .isEqualTo("simulated://0.1.0");
    assertThat(n.getStatus().getConditions())
        .extracting(NodeCondition::getType, NodeCondition::getStatus)
        .contains(
            org.assertj.core.groups.Tuple.tuple("Ready", "True"),
            org.assertj.core.groups.Tuple.tuple("MemoryPressure", "False"),
            org.assertj.core.groups.Tuple.tuple("DiskPressure", "False"),
            org.assertj.core.groups.Tuple.tuple("PIDPressure", "False"));
  }

  @Test
  void renewsEachNodesLease() {
    Lease first = lease("sim-2");
    assertThat(first.getSpec().getHolderIdentity()).isEqualTo("sim-2");
    assertThat(first.getMetadata().getOwnerReferences()).extracting("kind").containsExactly("Node");
    ZonedDateTime t0 = first.getSpec().getRenewTime();
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(lease("sim-2").getSpec().getRenewTime()).isAfter(t0));
  }

  @Test
  void aBoundPodGoesRunningWithAnIpInItsNodesCidrAndEveryCondition() {
    create(pod("runs", "sim-0", Map.of(), "Always").build());
    Pod p = awaitPod("runs", q -> "Running".equals(q.getStatus().getPhase()) && ready(q));
    assertThat(p.getStatus().getPodIP()).startsWith("10.244.0.");
    assertThat(p.getStatus().getPodIPs())
        .extracting("ip")
        .containsExactly(p.getStatus().getPodIP());
    assertThat(p.getStatus().getHostIP()).isEqualTo("172.16.0.1");
    assertThat(p.getStatus().getStartTime()).isNotNull();
    assertThat(p.getStatus().getConditions())
        .extracting(PodCondition::getType, PodCondition::getStatus)
        .contains(
            org.assertj.core.groups.Tuple.tuple("PodScheduled", "True"),
            org.assertj.core.groups.Tuple.tuple("Initialized", "True"),
            org.assertj.core.groups.Tuple.tuple("ContainersReady", "True"),
            org.assertj.core.groups.Tuple.tuple("Ready", "True"));
    ContainerStatus app = p.getStatus().getContainerStatuses().get(0);
    assertThat(app.getName()).isEqualTo("app");
    assertThat(app.getReady()).isTrue();
    assertThat(app.getStarted()).isTrue();
    assertThat(app.getState().getRunning().getStartedAt()).isNotNull();
    assertThat(app.getState().getTerminated()).isNull();
    assertThat(app.getContainerID()).startsWith("simulated://");
    assertThat(app.getImageID()).startsWith("sha256:");
    ContainerStatus init = p.getStatus().getInitContainerStatuses().get(0);
    assertThat(init.getName()).isEqualTo("setup");
    assertThat(init.getState().getTerminated().getExitCode()).isZero();
    assertThat(init.getState().getTerminated().getReason()).isEqualTo("Completed");
  }

  @Test
  void readyAfterDelaysReadinessButNotRunning() {
    create(pod("slow", "sim-1", Map.of(SimulatedAnnotations.READY_AFTER, "2s"), "Always").build());
    Pod running = awaitPod("slow", q -> "Running".equals(q.getStatus().getPhase()));
    if (!ready(running)) {
      assertThat(condition(running, "Ready")).isEqualTo("False");
    }
    awaitPod("slow", SimulatedAgentTest::ready);
  }

  @ParameterizedTest(name = "exit code {1} under restartPolicy {0} ends {2}")
  @CsvSource({
    "Never, 0, Succeeded",
    "Never, 1, Failed",
    "OnFailure, 0, Succeeded",
  })
  void anExitedContainerEndsThePodAsItsRestartPolicySays(String policy, int code, String phase) {
    String name = ("end-" + policy + "-" + code).toLowerCase();
    create(
        pod(
                name,
                "sim-2",
                Map.of(
                    SimulatedAnnotations.EXIT_AFTER,
                    "300ms",
                    SimulatedAnnotations.EXIT_CODE,
                    Integer.toString(code)),
                policy)
            .build());
    Pod p = awaitPod(name, q -> phase.equals(q.getStatus().getPhase()));
    ContainerStatus app = p.getStatus().getContainerStatuses().get(0);
    assertThat(app.getState().getTerminated().getExitCode()).isEqualTo(code);
    assertThat(app.getState().getRunning()).isNull();
    assertThat(app.getRestartCount()).isZero();
    assertThat(condition(p, "Ready")).isEqualTo("False");
  }

  @ParameterizedTest(name = "exit code {1} under restartPolicy {0} restarts")
  @CsvSource({"Always, 0", "Always, 3", "OnFailure, 2"})
  void anExitedContainerRestartsWhenItsRestartPolicySays(String policy, int code) {
    String name = ("restart-" + policy + "-" + code).toLowerCase();
    create(
        pod(
                name,
                "sim-0",
                Map.of(
                    SimulatedAnnotations.EXIT_AFTER,
                    "300ms",
                    SimulatedAnnotations.EXIT_CODE,
                    Integer.toString(code)),
                policy)
            .build());
    Pod p =
        awaitPod(
            name,
            q ->
                q.getStatus().getContainerStatuses() != null
                    && !q.getStatus().getContainerStatuses().isEmpty()
                    && q.getStatus().getContainerStatuses().get(0).getRestartCount() >= 2
                    && q.getStatus().getContainerStatuses().get(0).getLastState().getTerminated()
                        != null);
    assertThat(p.getStatus().getPhase()).isEqualTo("Running");
    ContainerStatus app = p.getStatus().getContainerStatuses().get(0);
    assertThat(app.getLastState().getTerminated().getExitCode()).isEqualTo(code);
  }

  @Test
  void aDeletedPodIsTerminatedAndRemoved() {
    create(pod("doomed", "sim-1", Map.of(), "Always").build());
    awaitPod("doomed", q -> "Running".equals(q.getStatus().getPhase()));
    client.pods().inNamespace("default").withName("doomed").delete();
    await()
        .atMost(WAIT)
        .until(() -> client.pods().inNamespace("default").withName("doomed").get() == null);
  }

  @Test
  void theHeartbeatAnnotationStopsLeaseRenewalUntilRemoved() {
    client
        .nodes()
        .withName("sim-1")
        .edit(
            n -> {
              n.getMetadata().getAnnotations().put(SimulatedAnnotations.HEARTBEAT, "stopped");
              return n;
            });
    // The agent has seen it once sim-1's renewals stand still while sim-2 renews three times.
    await()
        .atMost(WAIT)
        .until(
            () -> {
              long a = agent.leaseRenewals("sim-1");
              awaitRenewals("sim-2", 3);
              return a == agent.leaseRenewals("sim-1");
            });
    ZonedDateTime frozen = lease("sim-1").getSpec().getRenewTime();
    awaitRenewals("sim-2", 3);
    assertThat(lease("sim-1").getSpec().getRenewTime()).isEqualTo(frozen);
    client
        .nodes()
        .withName("sim-1")
        .edit(
            n -> {
              n.getMetadata().getAnnotations().remove(SimulatedAnnotations.HEARTBEAT);
              return n;
            });
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(lease("sim-1").getSpec().getRenewTime()).isAfter(frozen));
  }

  /** Waits until {@code node}'s Lease was renewed {@code n} more times: the test's clock. */
  private void awaitRenewals(String node, int n) {
    long start = agent.leaseRenewals(node);
    await().atMost(WAIT).until(() -> agent.leaseRenewals(node) >= start + n);
  }

  @Test
  void closeStopsLeasesAndPods() {
    SimulatedAgent other =
        SimulatedAgent.start(
            client,
            SimulatedNodeOptions.defaults()
                .withNamePrefix("closing-")
                .withClusterCidr("10.245.0.0/16", 24)
                .withIntervals(Duration.ofMillis(200), Duration.ofMinutes(5)));
    create(pod("before-close", "closing-0", Map.of(), "Always").build());
    awaitPod("before-close", q -> "Running".equals(q.getStatus().getPhase()));
    other.close();
    other.close();
    ZonedDateTime last = lease("closing-0").getSpec().getRenewTime();
    create(pod("after-close", "closing-0", Map.of(), "Always").build());
    awaitRenewals("sim-2", 5);
    assertThat(lease("closing-0").getSpec().getRenewTime()).isEqualTo(last);
    Pod after = client.pods().inNamespace("default").withName("after-close").get();
    assertThat(after.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(after.getStatus().getPodIP()).isNull();
  }

  private Lease lease(String node) {
    return client.resources(Lease.class).inNamespace("kube-node-lease").withName(node).get();
  }

  private void create(Pod pod) {
    client.pods().inNamespace("default").resource(pod).create();
  }

  static PodBuilder pod(String name, String node, Map<String, String> annotations, String policy) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .withRestartPolicy(policy)
        .addNewInitContainer()
        .withName("setup")
        .withImage("busybox:1.36")
        .endInitContainer()
        .addNewContainer()
        .withName("app")
        .withImage("nginx:1.27")
        .endContainer()
        .endSpec();
  }

  private Pod awaitPod(String name, java.util.function.Predicate<Pod> test) {
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> client.pods().inNamespace("default").withName(name).get(),
            p -> p != null && p.getStatus() != null && test.test(p));
  }

  static boolean ready(Pod p) {
    return "True".equals(condition(p, "Ready"));
  }

  static String condition(Pod p, String type) {
    if (p.getStatus().getConditions() == null) {
      return null;
    }
    return p.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .map(PodCondition::getStatus)
        .findFirst()
        .orElse(null);
  }
}
