package io.flotilla.scheduler.plugins.tainttoleration;

import static io.flotilla.scheduler.testutil.TestNodes.node;
import static io.flotilla.scheduler.testutil.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
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

class TaintTolerationTest {
  static Stream<Arguments> cases() {
    Node tainted = node("n").taint("dedicated", "gpu", "NoSchedule").build();
    return Stream.of(
        Arguments.of(
            "an untainted node takes any pod",
            node("n").build(),
            pod("p").info(),
            Code.SUCCESS,
            List.of()),
        Arguments.of(
            "an untolerated NoSchedule taint rejects with its key and value",
            tainted,
            pod("p").info(),
            Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            List.of("node(s) had untolerated taint {dedicated: gpu}")),
        Arguments.of(
            "a taint without value prints an empty value",
            node("n").taint("node-role.kubernetes.io/control-plane", null, "NoSchedule").build(),
            pod("p").info(),
            Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            List.of("node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }")),
        Arguments.of(
            "Equal with the same value tolerates",
            tainted,
            pod("p").toleration("dedicated", "Equal", "gpu", "NoSchedule").info(),
            Code.SUCCESS,
            List.of()),
        Arguments.of(
            "Equal with another value does not",
            tainted,
            pod("p").toleration("dedicated", "Equal", "cpu", "NoSchedule").info(),
            Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            List.of("node(s) had untolerated taint {dedicated: gpu}")),
        Arguments.of(
            "Exists on the key tolerates any value",
            tainted,
            pod("p").toleration("dedicated", "Exists", null, null).info(),
            Code.SUCCESS,
            List.of()),
        Arguments.of(
            "an empty key with Exists tolerates everything",
            tainted,
            pod("p").toleration(null, "Exists", null, null).info(),
            Code.SUCCESS,
            List.of()),
        Arguments.of(
            "NoExecute taints are checked too",
            node("n").taint("k", "v", "NoExecute").build(),
            pod("p").info(),
            Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            List.of("node(s) had untolerated taint {k: v}")),
        Arguments.of(
            "PreferNoSchedule taints never reject",
            node("n").taint("k", "v", "PreferNoSchedule").build(),
            pod("p").info(),
            Code.SUCCESS,
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void filtersUntoleratedTaints(
      String name, Node node, PodInfo pod, Code code, List<String> reasons) {
    Status s =
        PluginHarness.filter(
            new TaintToleration(), pod, Snapshot.of(List.of(NodeInfo.of(node))), "n");
    assertThat(s.code()).isEqualTo(code);
    assertThat(s.reasons()).isEqualTo(reasons);
  }

  @Test
  void scoresFewerIntolerablePreferNoScheduleTaintsHigher() {
    Snapshot snapshot =
        Snapshot.of(
            List.of(
                NodeInfo.of(node("n0").build()),
                NodeInfo.of(node("n1").taint("a", "1", "PreferNoSchedule").build()),
                NodeInfo.of(
                    node("n2")
                        .taint("a", "1", "PreferNoSchedule")
                        .taint("b", "2", "PreferNoSchedule")
                        .build()),
                NodeInfo.of(
                    node("n3")
                        .taint("a", "1", "PreferNoSchedule")
                        .taint("c", "3", "PreferNoSchedule")
                        .build())));
    PodInfo pod = pod("p").toleration("c", "Exists", null, "PreferNoSchedule").info();
    assertThat(PluginHarness.score(new TaintToleration(), pod, snapshot))
        .containsExactly(100, 50, 0, 50);
  }
}
