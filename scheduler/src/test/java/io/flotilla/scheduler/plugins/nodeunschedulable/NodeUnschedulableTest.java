package io.flotilla.scheduler.plugins.nodeunschedulable;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeUnschedulableTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "a schedulable node takes any pod",
            node("n").build(),
            pod("p").info(),
            Code.SUCCESS,
            List.of()),
        Arguments.of(
            "a cordoned node rejects a pod for good",
            node("n").unschedulable().build(),
            pod("p").info(),
            Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            List.of(NodeUnschedulable.ERR_REASON_UNSCHEDULABLE)),
        Arguments.of(
            "a cordoned node takes a pod tolerating the unschedulable taint",
            node("n").unschedulable().build(),
            pod("p").toleration(NodeUnschedulable.TAINT_KEY, "Exists", null, "NoSchedule").info(),
            Code.SUCCESS,
            List.of()),
        Arguments.of(
            "a toleration for another effect does not help",
            node("n").unschedulable().build(),
            pod("p").toleration(NodeUnschedulable.TAINT_KEY, "Exists", null, "NoExecute").info(),
            Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            List.of(NodeUnschedulable.ERR_REASON_UNSCHEDULABLE)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void keepsPodsOffCordonedNodes(
      String name, Node node, PodInfo pod, Code code, List<String> reasons) {
    Status s =
        PluginHarness.filter(
            new NodeUnschedulable(), pod, Snapshot.of(List.of(NodeInfo.of(node))), "n");
    assertThat(s.code()).isEqualTo(code);
    assertThat(s.reasons()).isEqualTo(reasons);
  }
}
