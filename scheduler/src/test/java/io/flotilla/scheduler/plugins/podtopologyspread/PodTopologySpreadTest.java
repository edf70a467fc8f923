package io.flotilla.scheduler.plugins.podtopologyspread;

import static io.flotilla.scheduler.testutil.TestNodes.node;
import static io.flotilla.scheduler.testutil.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.flotilla.scheduler.cache.Snapshot;
import io.flotilla.scheduler.framework.Code;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.Status;
import io.flotilla.scheduler.testutil.PluginHarness;
import io.flotilla.scheduler.testutil.TestHandle;
import io.flotilla.scheduler.testutil.TestPods;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodTopologySpreadTest {
  static final String ZONE = PodTopologySpread.ZONE;
  static final String SKEW = PodTopologySpread.ERR_REASON_CONSTRAINTS_NOT_MATCH;

  static PodInfo web(String name, String node, String version) {
    return pod(name).label("app", "web").label("version", version).node(node).info();
  }

  /** z1 = {n1: 2 web v1, n2: 0}, z2 = {n3: 1 web v1}, n4 has no zone label. */
  static Snapshot cluster() {
    return Snapshot.of(
        List.of(
            NodeInfo.of(
                node("n1").zone("z1").build(), web("w1", "n1", "v1"), web("w2", "n1", "v1")),
            NodeInfo.of(node("n2").zone("z1").build()),
            NodeInfo.of(node("n3").zone("z2").build(), web("w3", "n3", "v1")),
            NodeInfo.of(node("n4").build())));
  }

  static TestPods incoming() {
    return pod("p").label("app", "web").label("version", "v2");
  }

  static TopologySpreadConstraintBuilder zoneSpread(int maxSkew) {
    return new TopologySpreadConstraintBuilder()
        .withMaxSkew(maxSkew)
        .withTopologyKey(ZONE)
        .withWhenUnsatisfiable("DoNotSchedule")
        .withLabelSelector(new LabelSelectorBuilder().addToMatchLabels("app", "web").build());
  }

  static Stream<Arguments> cases() {
    PodInfo skew1 = incoming().spread(zoneSpread(1).build()).info();
    return Stream.of(
        Arguments.of("the fuller zone would exceed maxSkew", skew1, "n2", Code.UNSCHEDULABLE, SKEW),
        Arguments.of("the emptier zone keeps the skew", skew1, "n3", Code.SUCCESS, null),
        Arguments.of(
            "a node without the topology key is unresolvable",
            skew1,
            "n4",
            Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            PodTopologySpread.ERR_REASON_NODE_LABEL_NOT_MATCH),
        Arguments.of(
            "a larger maxSkew allows the fuller zone",
            incoming().spread(zoneSpread(2).build()).info(),
            "n2",
            Code.SUCCESS,
            null),
        Arguments.of(
            "minDomains above the domains seen makes the minimum 0",
            incoming().spread(zoneSpread(2).withMinDomains(3).build()).info(),
            "n3",
            Code.SUCCESS,
            null),
        Arguments.of(
            "minDomains counts against the fuller zone too",
            incoming().spread(zoneSpread(2).withMinDomains(3).build()).info(),
            "n2",
            Code.UNSCHEDULABLE,
            SKEW),
        Arguments.of(
            "matchLabelKeys narrow the count to the pod's own version",
            incoming().spread(zoneSpread(1).withMatchLabelKeys("version").build()).info(),
            "n2",
            Code.SUCCESS,
            null),
        Arguments.of(
            "nodeAffinityPolicy Honor ignores zones the pod cannot use",
            incoming().nodeSelector(ZONE, "z1").spread(zoneSpread(1).build()).info(),
            "n2",
            Code.SUCCESS,
            null),
        Arguments.of(
            "nodeAffinityPolicy Ignore counts them",
            incoming()
                .nodeSelector(ZONE, "z1")
                .spread(zoneSpread(1).withNodeAffinityPolicy("Ignore").build())
                .info(),
            "n2",
            Code.UNSCHEDULABLE,
            SKEW),
        Arguments.of(
            "a pod the selector does not pick adds no skew of its own",
            pod("p").label("app", "other").spread(zoneSpread(1).build()).info(),
            "n2",
            Code.SUCCESS,
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void filtersBySkew(String name, PodInfo pod, String node, Code code, String reason) {
    Snapshot snapshot = cluster();
    Status s =
        PluginHarness.filter(new PodTopologySpread(new TestHandle(snapshot)), pod, snapshot, node);
    assertThat(s.code()).isEqualTo(code);
    assertThat(s.reasons()).isEqualTo(reason == null ? List.of() : List.of(reason));
  }

  @Test
  void nodeTaintsPolicyHonorLeavesUntoleratedNodesOut() {
    Snapshot snapshot =
        Snapshot.of(
            List.of(
                NodeInfo.of(node("n1").zone("z1").build(), web("w1", "n1", "v1")),
                NodeInfo.of(node("n2").zone("z2").taint("k", "v", "NoSchedule").build())));
    PodInfo honor = incoming().spread(zoneSpread(1).withNodeTaintsPolicy("Honor").build()).info();
    PodInfo ignore = incoming().spread(zoneSpread(1).build()).info();
    var plugin = new PodTopologySpread(new TestHandle(snapshot));
    assertThat(PluginHarness.filter(plugin, honor, snapshot, "n1").isSuccess()).isTrue();
    assertThat(PluginHarness.filter(plugin, ignore, snapshot, "n1").code())
        .isEqualTo(Code.UNSCHEDULABLE);
  }

  @Test
  void scoresEmptierDomainsHigher() {
    Snapshot snapshot = cluster();
    PodInfo pod = incoming().spread(1, ZONE, "ScheduleAnyway", "app", "web").info();
    // weight ln(2 domains + 2); raw z1 = round(2 x 1.386) = 3, z2 = 1; normalized
    // 100 x (max + min - raw) / max; n4 lacks the zone label and scores 0.
    assertThat(PluginHarness.score(new PodTopologySpread(new TestHandle(snapshot)), pod, snapshot))
        .containsExactly(33, 33, 100, 0);
  }

  @Test
  void appliesSystemDefaultsToOwnedPodsOnly() {
    Snapshot snapshot = cluster();
    var plugin = new PodTopologySpread(new TestHandle(snapshot));
    assertThat(PluginHarness.score(plugin, incoming().info(), snapshot)).isNull();
    long[] scores =
        PluginHarness.score(
            plugin,
            pod("p").label("app", "web").label("version", "v1").ownedByReplicaSet().info(),
            snapshot);
    assertThat(scores).isNotNull();
    // n1 holds two replicas, n2 and n4 none: the spread pushes the new one away from n1.
    assertThat(scores[0]).isLessThan(scores[1]);
    assertThat(scores[3]).isGreaterThan(scores[0]);
  }
}
