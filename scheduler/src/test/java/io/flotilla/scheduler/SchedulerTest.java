package io.flotilla.scheduler;

import static io.flotilla.scheduler.testutil.TestNodes.node;
import static io.flotilla.scheduler.testutil.TestPods.pod;
import static io.flotilla.scheduler.testutil.TestPods.term;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.QueuedPodInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SchedulerTest {
  static final String ZONE = "topology.kubernetes.io/zone";
  static final String HOST = "kubernetes.io/hostname";
  final FakeCluster cluster = new FakeCluster();

  @AfterEach
  void close() {
    cluster.close();
  }

  /** Ten nodes n0..n9 in zones z0 and z1 (alternating); n3 has an SSD. */
  static Node[] tenNodes() {
    return IntStream.range(0, 10)
        .mapToObj(
            i -> {
              var n = node("n" + i).zone("z" + (i % 2));
              return i == 3 ? n.label("disk", "ssd").build() : n.build();
            })
        .toArray(Node[]::new);
  }

  @Test
  void placesAPlainPodAndConfirmsItInTheCache() {
    cluster.nodes(tenNodes()).create(pod("p").container("cpu", "1").build()).scheduleAll();
    String node = cluster.bindings.get("p");
    assertThat(node).startsWith("n");
    assertThat(cluster.scheduler.cache().nodeOf("default/p")).isEqualTo(node);
    assertThat(cluster.scheduler.cache().isAssumed("default/p")).isFalse();
  }

  static Stream<Arguments> placements() {
    return Stream.of(
        Arguments.of("nodeSelector", pod("p").nodeSelector("disk", "ssd"), "n3"),
        Arguments.of(
            "required node affinity", pod("p").requiredNodeTerm("disk", "In", "ssd"), "n3"),
        Arguments.of("matchFields metadata.name", pod("p").requiredNodeNameField("In", "n8"), "n8"),
        Arguments.of(
            "preferred node affinity", pod("p").preferredNodeTerm(100, "disk", "In", "ssd"), "n3"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("placements")
  void placesPodsWhereTheirNodeConstraintsPoint(
      String name, io.flotilla.scheduler.testutil.TestPods pod, String expected) {
    cluster.nodes(tenNodes()).create(pod.build()).scheduleAll();
    assertThat(cluster.bindings).containsEntry("p", expected);
  }

  @Test
  void requiredAntiAffinitySpreadsReplicasOneNodeEachThenFails() {
    cluster.nodes(node("a").build(), node("b").build(), node("c").build());
    for (int i = 0; i < 4; i++) {
      cluster.create(
          pod("web-" + i).label("app", "web").podAntiAffinity(term(HOST, "app", "web")).build());
    }
    cluster.scheduleAll();
    assertThat(new java.util.HashSet<>(cluster.bindings.values()))
        .containsExactlyInAnyOrder("a", "b", "c");
    assertThat(cluster.failures.get("web-3"))
        .isEqualTo(
            "Unschedulable: 0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules."
                + " preemption: 0/3 nodes are available: 3 No preemption victims found for incoming"
                + " pod..");
  }

  @Test
  void requiredAffinityFollowsTheTargetIntoItsZone() {
    cluster
        .nodes(tenNodes())
        .create(pod("db").label("app", "db").nodeSelector("disk", "ssd").build())
        .scheduleAll();
    for (int i = 0; i < 5; i++) {
      cluster.create(pod("app-" + i).podAffinity(term(ZONE, "app", "db")).build());
    }
    cluster.scheduleAll();
    for (int i = 0; i < 5; i++) {
      int node = Integer.parseInt(cluster.bindings.get("app-" + i).substring(1));
      assertThat(node % 2).as("app-%d on zone of n3", i).isEqualTo(1);
    }
  }

  @Test
  void topologySpreadKeepsZonesWithinMaxSkew() {
    cluster.nodes(tenNodes());
    for (int i = 0; i < 6; i++) {
      cluster.create(
          pod("s-" + i).label("app", "s").spread(1, ZONE, "DoNotSchedule", "app", "s").build());
    }
    cluster.scheduleAll();
    Map<Integer, Integer> perZone = new HashMap<>();
    cluster
        .bindings
        .values()
        .forEach(n -> perZone.merge(Integer.parseInt(n.substring(1)) % 2, 1, Integer::sum));
    assertThat(perZone).containsEntry(0, 3).containsEntry(1, 3);
  }

  @Test
  void hostPortsKeepTwoPodsOffOneNode() {
    cluster.nodes(node("a").build(), node("b").build());
    cluster
        .create(
            pod("p1").hostPort(80, "TCP", null).build(),
            pod("p2").hostPort(80, "TCP", null).build(),
            pod("p3").hostPort(80, "TCP", null).build())
        .scheduleAll();
    assertThat(cluster.bindings).containsOnlyKeys("p1", "p2");
    assertThat(cluster.bindings.get("p1")).isNotEqualTo(cluster.bindings.get("p2"));
    assertThat(cluster.failures.get("p3"))
        .startsWith(
            "Unschedulable: 0/2 nodes are available: 2 "
                + "node(s) didn't have free ports for the requested pod ports.");
  }

  @Test
  void aggregatesReasonsPerNodeExactlyAsUpstream() {
    cluster.nodes(
        node("w1").cpu("2").build(),
        node("w2").cpu("2").build(),
        node("w3").cpu("2").build(),
        node("cp1").taint("node-role.kubernetes.io/control-plane", null, "NoSchedule").build(),
        node("cp2").taint("node-role.kubernetes.io/control-plane", null, "NoSchedule").build());
    cluster.create(pod("big").container("cpu", "3").build()).scheduleAll();
    assertThat(cluster.failures.get("big"))
        .isEqualTo(
            "Unschedulable: 0/5 nodes are available: 2 node(s) had untolerated taint"
                + " {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu."
                + " preemption: 0/5 nodes are available: 5 Preemption is not helpful for"
                + " scheduling..");
  }

  @Test
  void preemptsLowerPriorityPodsAndPlacesThePodOnTheNominatedNode() {
    cluster.nodes(node("n").cpu("4").build());
    cluster
        .create(
            pod("low-a").priority(1).container("cpu", "2").build(),
            pod("low-b").priority(5).container("cpu", "1").build())
        .scheduleAll();
    cluster.create(pod("high").priority(100).container("cpu", "2").build()).scheduleAll();
    // Evicting low-a (the lowest priority) alone makes room; low-b is reprieved.
    assertThat(cluster.evicted).containsExactly("low-a");
    assertThat(cluster.nominations).containsEntry("high", "n");
    assertThat(cluster.failures.get("high"))
        .isEqualTo("Unschedulable: 0/1 nodes are available: 1 Insufficient cpu.");
    cluster.clock.advance(Duration.ofSeconds(2));
    cluster.scheduler.tick();
    cluster.scheduleAll();
    assertThat(cluster.bindings).containsEntry("high", "n");
    assertThat(cluster.scheduler.nominator().nominatedPodsForNode("n")).isEmpty();
  }

  @Test
  void nominatedRoomIsNotTakenByALowerPriorityPod() {
    cluster.nodes(node("n").cpu("4").build());
    cluster.create(pod("low").priority(1).container("cpu", "3").build()).scheduleAll();
    cluster.create(pod("high").priority(100).container("cpu", "3").build()).scheduleAll();
    assertThat(cluster.nominations).containsEntry("high", "n");
    cluster.create(pod("sneaky").priority(0).container("cpu", "2").build()).scheduleAll();
    assertThat(cluster.bindings).doesNotContainKey("sneaky");
  }

  @Test
  void preemptionPolicyNeverDoesNotEvict() {
    cluster.nodes(node("n").cpu("4").build());
    cluster.create(pod("low").priority(1).container("cpu", "3").build()).scheduleAll();
    cluster
        .create(pod("polite").priority(100).preemptionPolicy("Never").container("cpu", "3").build())
        .scheduleAll();
    assertThat(cluster.evicted).isEmpty();
    assertThat(cluster.failures.get("polite"))
        .isEqualTo(
            "Unschedulable: 0/1 nodes are available:"
                + " 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..");
  }

  @Test
  void aRefusedBindingForgetsThePodAndRetriesItAfterBackoff() {
    cluster.nodes(node("n").build());
    cluster.bindFailure = new IllegalStateException("etcd is on fire");
    cluster.create(pod("p").container("cpu", "1").build()).scheduleAll();
    assertThat(cluster.failures.get("p"))
        .isEqualTo("SchedulerError: binding rejected: etcd is on fire");
    assertThat(cluster.scheduler.cache().podCount()).isZero();
    assertThat(cluster.scheduler.queue().backoffSize()).isEqualTo(1);
    cluster.bindFailure = null;
    cluster.clock.advance(Duration.ofSeconds(1));
    cluster.scheduler.tick();
    cluster.scheduleAll();
    assertThat(cluster.bindings).containsEntry("p", "n");
  }

  @Test
  void anUnschedulablePodIsRetriedWhenANodeArrives() {
    cluster.nodes(node("small").cpu("1").build());
    cluster.create(pod("p").container("cpu", "2").build()).scheduleAll();
    assertThat(cluster.scheduler.queue().unschedulableSize()).isEqualTo(1);
    cluster.clock.advance(Duration.ofSeconds(1));
    cluster.nodes(node("big").cpu("8").build());
    cluster.scheduleAll();
    assertThat(cluster.bindings).containsEntry("p", "big");
  }

  @Test
  void reportsAClusterWithoutNodes() {
    cluster.create(pod("p").build()).scheduleAll();
    assertThat(cluster.failures.get("p")).isEqualTo("Unschedulable: " + Scheduler.ERR_NO_NODES);
  }

  @Test
  void spreadsPlainPodsAcrossNodesByLeastAllocation() {
    cluster.nodes(tenNodes());
    for (int i = 0; i < 20; i++) {
      cluster.create(pod("p" + i).container("cpu", "1", "memory", "1Gi").build());
    }
    cluster.scheduleAll();
    Map<String, Integer> perNode = new HashMap<>();
    cluster.bindings.values().forEach(n -> perNode.merge(n, 1, Integer::sum));
    assertThat(perNode).hasSize(10).allSatisfy((n, count) -> assertThat(count).isEqualTo(2));
  }

  static Stream<Arguments> sampleSizes() {
    return Stream.of(
        Arguments.of(50, 0, 50),
        Arguments.of(100, 0, 100),
        Arguments.of(1000, 0, 420),
        Arguments.of(5000, 0, 500),
        Arguments.of(20000, 0, 1000),
        Arguments.of(5000, 1, 100),
        Arguments.of(5000, 30, 1500));
  }

  @ParameterizedTest(name = "{0} nodes at {1}% → {2} feasible nodes to find")
  @MethodSource("sampleSizes")
  void findsAnAdaptiveShareOfFeasibleNodes(int nodes, int percentage, int expected) {
    try (FakeCluster c = new FakeCluster(1, percentage)) {
      assertThat(c.scheduler.numFeasibleNodesToFind(nodes)).isEqualTo(expected);
    }
  }

  @Test
  void breaksTiesAmongTheBestNodesAtRandom() {
    List<Integer> picks = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      picks.add(cluster.scheduler.selectHost(new long[] {5, 9, 9, 1, 9}));
    }
    assertThat(picks).containsOnly(1, 2, 4).contains(1, 2, 4);
  }

  @Test
  void theQueuePopsPodsInPriorityOrder() {
    cluster.create(pod("low").priority(1).build(), pod("high").priority(9).build());
    QueuedPodInfo first = cluster.scheduler.queue().tryPop();
    assertThat(first.podInfo().name()).isEqualTo("high");
    Collection<PodInfo> unused = List.of(first.podInfo());
    assertThat(unused).hasSize(1);
  }
}
