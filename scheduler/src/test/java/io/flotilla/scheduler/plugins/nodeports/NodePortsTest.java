package io.flotilla.scheduler.plugins.nodeports;

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

class NodePortsTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("no host ports wanted", pod("p").info(), Code.SUCCESS),
        Arguments.of("a free port", pod("p").hostPort(9090, "TCP", null).info(), Code.SUCCESS),
        Arguments.of(
            "the same port on any address clashes",
            pod("p").hostPort(8080, "TCP", null).info(),
            Code.UNSCHEDULABLE),
        Arguments.of(
            "the same port on a specific address clashes with 0.0.0.0",
            pod("p").hostPort(8080, "TCP", "10.0.0.1").info(),
            Code.UNSCHEDULABLE),
        Arguments.of(
            "another protocol does not clash",
            pod("p").hostPort(8080, "UDP", null).info(),
            Code.SUCCESS),
        Arguments.of(
            "two specific addresses do not clash",
            pod("p").hostPort(5353, "UDP", "10.0.0.2").info(),
            Code.SUCCESS));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rejectsNodesWhoseHostPortsAreTaken(String name, PodInfo pod, Code code) {
    NodeInfo n =
        NodeInfo.of(
            node("n").build(),
            pod("web").node("n").hostPort(8080, "TCP", null).info(),
            pod("dns").node("n").hostPort(5353, "UDP", "10.0.0.1").info());
    Status s = PluginHarness.filter(new NodePorts(), pod, Snapshot.of(List.of(n)), "n");
    assertThat(s.code()).isEqualTo(code);
    if (code != Code.SUCCESS) {
      assertThat(s.reasons()).containsExactly(NodePorts.ERR_REASON);
    }
  }
}
