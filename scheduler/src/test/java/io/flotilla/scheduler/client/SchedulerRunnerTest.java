package io.flotilla.scheduler.client;

import static io.flotilla.scheduler.testutil.TestNodes.node;
import static io.flotilla.scheduler.testutil.TestPods.pod;
import static io.flotilla.scheduler.testutil.TestPods.term;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.testing.InProcessCluster;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler against the real apiserver, as an ordinary fabric8 client: nodes registered through
 * the API, pods created by a user, bindings, Events and status read back through the API.
 */
class SchedulerRunnerTest {
  static final String ZONE = "topology.kubernetes.io/zone";
  static final String HOST = "kubernetes.io/hostname";

  InProcessCluster cluster;
  KubernetesClient client;
  ClusterFixture api;
  SchedulerRunner runner;

  @BeforeEach
  void start() {
    cluster = InProcessCluster.start();
    client = cluster.client();
    api = new ClusterFixture(client);
  }

  @AfterEach
  void stop() {
    if (runner != null) {
      runner.close();
    }
    cluster.close();
  }

  void runScheduler(boolean leaderElect) throws Exception {
    runner =
        SchedulerRunner.start(
            cluster.client(),
            SchedulerRunner.Options.defaults("test-scheduler").withLeaderElect(leaderElect),
            Clock.systemUTC());
  }

  /** Six nodes: n0..n5 in zones z0/z1 (alternating); n1 has an SSD; n4 is tainted for gpus. */
  void sixNodes() {
    for (int i = 0; i < 6; i++) {
      var n = node("n" + i).zone("z" + (i % 2));
      if (i == 1) {
        n.label("disk", "ssd");
      }
      if (i == 4) {
        n.label("gpu", "true").taint("dedicated", "gpu", "NoSchedule");
      }
      if (i == 5) {
        n.cpu("16");
      }
      api.node(n.build());
    }
  }

  @Test
  void placesPodsWhereTheirConstraintsPointAndWritesScheduledEvents() throws Exception {
    sixNodes();
    runScheduler(false);
    api.pod(pod("ssd").nodeSelector("disk", "ssd").build());
    api.pod(
        pod("gpu")
            .nodeSelector("gpu", "true")
            .toleration("dedicated", "Equal", "gpu", "NoSchedule")
            .build());
    api.pod(pod("big").container("cpu", "12").build());
    for (int i = 0; i < 5; i++) {
      api.pod(
          pod("anti-" + i).label("app", "anti").podAntiAffinity(term(HOST, "app", "anti")).build());
    }
    for (int i = 0; i < 6; i++) {
      api.pod(
          pod("spread-" + i)
              .label("app", "spread")
              .spread(1, ZONE, "DoNotSchedule", "app", "spread")
              .build());
    }

    assertThat(api.awaitBound("ssd")).isEqualTo("n1");
    assertThat(api.awaitBound("gpu")).isEqualTo("n4");
    assertThat(api.awaitBound("big")).isEqualTo("n5");
    Set<String> antiNodes = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      antiNodes.add(api.awaitBound("anti-" + i));
    }
    assertThat(antiNodes).hasSize(5).doesNotContain("n4"); // one each, never on the tainted node
    Map<String, Integer> perZone = new HashMap<>();
    for (int i = 0; i < 6; i++) {
      String n = api.awaitBound("spread-" + i);
      perZone.merge("z" + (Integer.parseInt(n.substring(1)) % 2), 1, Integer::sum);
    }
    assertThat(perZone).containsEntry("z0", 3).containsEntry("z1", 3);

    PodCondition scheduled = ClusterFixture.condition(api.get("ssd"), "PodScheduled");
    assertThat(scheduled.getStatus()).isEqualTo("True");
    await()
        .atMost(ClusterFixture.WAIT)
        .untilAsserted(
            () ->
                assertThat(api.events("ssd", "Scheduled"))
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.getMessage())
                              .isEqualTo("Successfully assigned default/ssd to n1");
                          assertThat(e.getType()).isEqualTo("Normal");
                          assertThat(e.getSource().getComponent()).isEqualTo("default-scheduler");
                        }));
  }

  @Test
  void reportsAnUnschedulablePodAndSchedulesItWhenAFittingNodeArrives() throws Exception {
    sixNodes();
    runScheduler(false);
    // More cpu than any node has: unresolvable everywhere, so preemption does not try.
    api.pod(pod("huge").container("cpu", "64").build());

    String expected =
        "0/6 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 5 Insufficient"
            + " cpu. preemption: 0/6 nodes are available: 6 Preemption is not helpful for"
            + " scheduling..";
    PodCondition c =
        await("PodScheduled=False on huge")
            .atMost(ClusterFixture.WAIT)
            .until(() -> ClusterFixture.condition(api.get("huge"), "PodScheduled"), x -> x != null);
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getReason()).isEqualTo("Unschedulable");
    assertThat(c.getMessage()).isEqualTo(expected);
    await()
        .atMost(ClusterFixture.WAIT)
        .untilAsserted(
            () ->
                assertThat(api.events("huge", "FailedScheduling"))
                    .isNotEmpty()
                    .allSatisfy(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getMessage()).isEqualTo(expected);
                        }));

    // A node that fits is a NodeAdd cluster event: the pod leaves the unschedulable set at once.
    api.node(node("giant").cpu("128").build());
    assertThat(api.awaitBound("huge")).isEqualTo("giant");
    assertThat(ClusterFixture.condition(api.get("huge"), "PodScheduled").getStatus())
        .isEqualTo("True");
  }

  @Test
  void leavesPodsOfOtherSchedulersAndPodsBeingDeletedAlone() throws Exception {
    api.node(node("plain").build());
    runScheduler(false);
    api.pod(
        new PodBuilder(pod("other").build())
            .editSpec()
            .withSchedulerName("someone-else")
            .endSpec()
            .build());
    // Nowhere to go yet; then deleted, held by a finalizer.
    api.pod(
        new PodBuilder(pod("doomed").nodeSelector("disk", "ssd").build())
            .editMetadata()
            .withFinalizers("test.flotilla.io/hold")
            .endMetadata()
            .build());
    await()
        .atMost(ClusterFixture.WAIT)
        .until(() -> ClusterFixture.condition(api.get("doomed"), "PodScheduled") != null);
    client.pods().inNamespace("default").withName("doomed").delete();
    await()
        .atMost(ClusterFixture.WAIT)
        .until(() -> api.get("doomed").getMetadata().getDeletionTimestamp() != null);

    api.node(node("ssd").label("disk", "ssd").build());
    api.pod(pod("witness").nodeSelector("disk", "ssd").build());
    assertThat(api.awaitBound("witness")).isEqualTo("ssd");
    assertThat(api.get("doomed").getSpec().getNodeName()).isNull();
    assertThat(api.get("other").getSpec().getNodeName()).isNull();
  }

  @Test
  void preemptsALowerPriorityPodAndNominatesItsNode() throws Exception {
    api.node(node("only").cpu("4").build());
    runScheduler(false);
    api.pod(pod("low").priority(0).container("cpu", "3").build());
    assertThat(api.awaitBound("low")).isEqualTo("only");

    api.pod(pod("high").priority(1000).container("cpu", "2").build());
    Pod victim =
        await("low marked and deleted")
            .atMost(ClusterFixture.WAIT)
            .until(() -> api.get("low"), p -> p.getMetadata().getDeletionTimestamp() != null);
    PodCondition disruption = ClusterFixture.condition(victim, "DisruptionTarget");
    assertThat(disruption.getReason()).isEqualTo("PreemptionByScheduler");
    await()
        .atMost(ClusterFixture.WAIT)
        .until(() -> "only".equals(api.get("high").getStatus().getNominatedNodeName()));

    // No node agent here: finish the victim's graceful deletion by hand.
    client.pods().inNamespace("default").withName("low").withGracePeriod(0).delete();
    assertThat(api.awaitBound("high")).isEqualTo("only");
    await()
        .atMost(ClusterFixture.WAIT)
        .untilAsserted(
            () ->
                assertThat(api.events("low", "Preempted"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getMessage()).endsWith("on node only")));
  }

  @Test
  void schedulesOnlyAfterTakingTheLease() throws Exception {
    api.node(node("n").build());
    runScheduler(true);
    api.pod(pod("p").build());
    assertThat(api.awaitBound("p")).isEqualTo("n");
    assertThat(runner.isLeader()).isTrue();
    Lease lease = client.leases().inNamespace("kube-system").withName("kube-scheduler").get();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("test-scheduler");
  }

  static List<String> names(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).toList();
  }
}
