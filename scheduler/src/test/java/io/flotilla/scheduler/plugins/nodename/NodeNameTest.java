package io.flotilla.scheduler.plugins.nodename;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeNameTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "a pod without nodeName fits any node", pod("p").info(), Code.SUCCESS, List.of()),
        Arguments.of(
            "a pod naming this node fits", pod("p").node("n1").info(), Code.SUCCESS, List.of()),
        Arguments.of(
            "a pod naming another node is rejected for good",
            pod("p").node("n2").info(),
            Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            List.of(NodeName.ERR_REASON)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void filtersByRequestedNodeName(String name, PodInfo pod, Code code, List<String> reasons) {
    Snapshot snapshot = Snapshot.of(List.of(NodeInfo.of(node("n1").build())));
    Status s = PluginHarness.filter(new NodeName(), pod, snapshot, "n1");
    assertThat(s.code()).isEqualTo(code);
    assertThat(s.reasons()).isEqualTo(reasons);
  }
}
