package io.flotilla.scheduler.plugins.nodeaffinity;

import static io.flotilla.scheduler.testutil.TestNodes.node;
import static io.flotilla.scheduler.testutil.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.scheduler.cache.Snapshot;
import io.flotilla.scheduler.framework.Code;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.Status;
import io.flotilla.scheduler.testutil.PluginHarness;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeAffinityTest {
  static final Snapshot NODES =
      Snapshot.of(
          List.of(
              NodeInfo.of(
                  node("n").label("zone", "a").label("disk", "ssd").label("cores", "8").build())));

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("no constraints", pod("p").info(), true),
        Arguments.of("nodeSelector matches", pod("p").nodeSelector("zone", "a").info(), true),
        Arguments.of("nodeSelector mismatches", pod("p").nodeSelector("zone", "b").info(), false),
        Arguments.of("In matches", pod("p").requiredNodeTerm("zone", "In", "a", "b").info(), true),
        Arguments.of("In mismatches", pod("p").requiredNodeTerm("zone", "In", "c").info(), false),
        Arguments.of(
            "NotIn on a missing label matches",
            pod("p").requiredNodeTerm("gpu", "NotIn", "x").info(),
            true),
        Arguments.of(
            "NotIn mismatches", pod("p").requiredNodeTerm("zone", "NotIn", "a").info(), false),
        Arguments.of("Exists", pod("p").requiredNodeTerm("disk", "Exists").info(), true),
        Arguments.of(
            "DoesNotExist", pod("p").requiredNodeTerm("disk", "DoesNotExist").info(), false),
        Arguments.of(
            "Gt compares as integers", pod("p").requiredNodeTerm("cores", "Gt", "4").info(), true),
        Arguments.of(
            "Lt compares as integers", pod("p").requiredNodeTerm("cores", "Lt", "4").info(), false),
        Arguments.of(
            "Gt on a non-integer label does not match",
            pod("p").requiredNodeTerm("zone", "Gt", "4").info(),
            false),
        Arguments.of(
            "terms are ORed",
            pod("p").requiredNodeTerm("zone", "In", "z").requiredNodeTerm("disk", "Exists").info(),
            true),
        Arguments.of(
            "matchFields on metadata.name", pod("p").requiredNodeNameField("In", "n").info(), true),
        Arguments.of(
            "matchFields on another name", pod("p").requiredNodeNameField("In", "m").info(), false),
        Arguments.of(
            "nodeSelector and affinity must both hold",
            pod("p").nodeSelector("zone", "b").requiredNodeTerm("disk", "Exists").info(),
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void filtersByNodeSelectorAndRequiredAffinity(String name, PodInfo pod, boolean fits) {
    Status s = PluginHarness.filter(new NodeAffinity(), pod, NODES, "n");
    if (fits) {
      assertThat(s.isSuccess()).isTrue();
    } else {
      assertThat(s.code()).isEqualTo(Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
      assertThat(s.reasons()).containsExactly(NodeAffinity.ERR_REASON_POD);
    }
  }

  @Test
  void scoresPreferredTermsByWeightNormalized() {
    Snapshot nodes =
        Snapshot.of(
            List.of(
                NodeInfo.of(node("a").label("zone", "z1").label("disk", "ssd").build()),
                NodeInfo.of(node("b").label("zone", "z1").build()),
                NodeInfo.of(node("c").build())));
    PodInfo pod =
        pod("p")
            .preferredNodeTerm(2, "zone", "In", "z1")
            .preferredNodeTerm(8, "disk", "In", "ssd")
            .info();
    assertThat(PluginHarness.score(new NodeAffinity(), pod, nodes)).containsExactly(100, 20, 0);
  }

  @Test
  void skipsScoringWithoutPreferredTerms() {
    assertThat(PluginHarness.score(new NodeAffinity(), pod("p").info(), NODES)).isNull();
  }
}
