package io.flotilla.scheduler.plugins.interpodaffinity;

import static io.flotilla.scheduler.testutil.TestNodes.node;
import static io.flotilla.scheduler.testutil.TestPods.pod;
import static io.flotilla.scheduler.testutil.TestPods.term;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.flotilla.scheduler.cache.Snapshot;
import io.flotilla.scheduler.framework.Code;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.Status;
import io.flotilla.scheduler.testutil.PluginHarness;
import io.flotilla.scheduler.testutil.TestHandle;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InterPodAffinityTest {
  static final String ZONE = "topology.kubernetes.io/zone";
  static final String HOST = "kubernetes.io/hostname";
  static final String AFF = InterPodAffinity.ERR_REASON_AFFINITY;
  static final String ANTI = InterPodAffinity.ERR_REASON_ANTI_AFFINITY;
  static final String EXISTING = InterPodAffinity.ERR_REASON_EXISTING_ANTI_AFFINITY;

  /** n1 (z1) runs db (in team-a's namespace too) and a guard that repels app=web from n1. */
  static Snapshot cluster() {
    return Snapshot.of(
        List.of(
            NodeInfo.of(
                node("n1").zone("z1").build(),
                pod("db").label("app", "db").node("n1").info(),
                pod("db-a").namespace("team-a").label("app", "db-a").node("n1").info(),
                pod("guard")
                    .label("app", "guard")
                    .node("n1")
                    .podAntiAffinity(term(HOST, "app", "web"))
                    .info()),
            NodeInfo.of(node("n2").zone("z1").build()),
            NodeInfo.of(node("n3").zone("z2").build()),
            NodeInfo.of(node("n4").build())),
        Map.of("team-a", Map.of("team", "a")));
  }

  static PodAffinityTerm teamATerm() {
    return new PodAffinityTermBuilder()
        .withTopologyKey(ZONE)
        .withLabelSelector(new LabelSelectorBuilder().addToMatchLabels("app", "db-a").build())
        .withNamespaceSelector(new LabelSelectorBuilder().addToMatchLabels("team", "a").build())
        .build();
  }

  static Stream<Arguments> cases() {
    PodInfo withDb = pod("p").podAffinity(term(ZONE, "app", "db")).info();
    PodInfo firstOfGroup =
        pod("p").label("app", "new").podAffinity(term(ZONE, "app", "new")).info();
    PodInfo awayFromDb = pod("p").podAntiAffinity(term(ZONE, "app", "db")).info();
    PodInfo web = pod("p").label("app", "web").info();
    return Stream.of(
        Arguments.of("affinity: the db's node", withDb, "n1", Code.SUCCESS, null),
        Arguments.of("affinity: another node in the db's zone", withDb, "n2", Code.SUCCESS, null),
        Arguments.of(
            "affinity: another zone", withDb, "n3", Code.UNSCHEDULABLE_AND_UNRESOLVABLE, AFF),
        Arguments.of(
            "affinity: a node without the topology label",
            withDb,
            "n4",
            Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            AFF),
        Arguments.of(
            "the first pod of a self-affine group may start anywhere labelled",
            firstOfGroup,
            "n3",
            Code.SUCCESS,
            null),
        Arguments.of(
            "but not where the topology label is missing",
            firstOfGroup,
            "n4",
            Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            AFF),
        Arguments.of(
            "affinity to pods that do not exist, not matching itself",
            pod("p").podAffinity(term(ZONE, "app", "none")).info(),
            "n3",
            Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            AFF),
        Arguments.of("anti-affinity: the db's zone", awayFromDb, "n2", Code.UNSCHEDULABLE, ANTI),
        Arguments.of("anti-affinity: another zone", awayFromDb, "n3", Code.SUCCESS, null),
        Arguments.of(
            "anti-affinity: no topology label means no domain to share",
            awayFromDb,
            "n4",
            Code.SUCCESS,
            null),
        Arguments.of(
            "an existing pod's anti-affinity repels the pod",
            web,
            "n1",
            Code.UNSCHEDULABLE,
            EXISTING),
        Arguments.of(
            "an existing pod's anti-affinity only covers its domain",
            web,
            "n2",
            Code.SUCCESS,
            null),
        Arguments.of(
            "namespaceSelector reaches pods in labelled namespaces",
            pod("p").podAffinity(teamATerm()).info(),
            "n2",
            Code.SUCCESS,
            null),
        Arguments.of(
            "without namespaceSelector only the pod's namespace counts",
            pod("p").podAffinity(term(ZONE, "app", "db-a")).info(),
            "n2",
            Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            AFF));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void filtersByRequiredPodAffinity(
      String name, PodInfo pod, String node, Code code, String reason) {
    Snapshot snapshot = cluster();
    Status s =
        PluginHarness.filter(new InterPodAffinity(new TestHandle(snapshot)), pod, snapshot, node);
    assertThat(s.code()).isEqualTo(code);
    assertThat(s.reasons()).isEqualTo(reason == null ? List.of() : List.of(reason));
  }

  @Test
  void scoresPreferredAffinityTowardsTheZoneOfMatchingPods() {
    Snapshot snapshot = cluster();
    PodInfo pod = pod("p").preferredPodAffinity(10, term(ZONE, "app", "db")).info();
    assertThat(PluginHarness.score(new InterPodAffinity(new TestHandle(snapshot)), pod, snapshot))
        .containsExactly(100, 100, 0, 0);
  }

  @Test
  void scoresPreferredAntiAffinityAwayFromMatchingPods() {
    Snapshot snapshot = cluster();
    PodInfo pod = pod("p").preferredPodAntiAffinity(10, term(ZONE, "app", "db")).info();
    assertThat(PluginHarness.score(new InterPodAffinity(new TestHandle(snapshot)), pod, snapshot))
        .containsExactly(0, 0, 100, 100);
  }

  @Test
  void existingPodsPreferencesScoreTheIncomingPod() {
    Snapshot snapshot =
        Snapshot.of(
            List.of(
                NodeInfo.of(
                    node("n1").zone("z1").build(),
                    pod("cache")
                        .node("n1")
                        .preferredPodAffinity(5, term(ZONE, "app", "web"))
                        .info()),
                NodeInfo.of(node("n2").zone("z2").build())));
    PodInfo web = pod("p").label("app", "web").info();
    assertThat(PluginHarness.score(new InterPodAffinity(new TestHandle(snapshot)), web, snapshot))
        .containsExactly(100, 0);
  }

  @Test
  void skipsScoringWhenNoTermIsInvolved() {
    Snapshot snapshot = Snapshot.of(List.of(NodeInfo.of(node("n1").build())));
    assertThat(
            PluginHarness.score(
                new InterPodAffinity(new TestHandle(snapshot)), pod("p").info(), snapshot))
        .isNull();
  }
}
