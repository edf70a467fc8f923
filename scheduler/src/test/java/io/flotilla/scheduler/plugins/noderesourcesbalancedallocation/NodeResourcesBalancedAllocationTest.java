package io.flotilla.scheduler.plugins.noderesourcesbalancedallocation;

import static io.flotilla.scheduler.testutil.TestNodes.node;
import static io.flotilla.scheduler.testutil.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.scheduler.cache.Snapshot;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.testutil.PluginHarness;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeResourcesBalancedAllocationTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "cpu and memory used in equal shares score 100",
            pod("p").container("cpu", "1", "memory", "2Gi").info(),
            100L),
        Arguments.of(
            "a quarter of cpu against half of memory scores 87",
            pod("p").container("cpu", "1", "memory", "4Gi").info(),
            87L),
        Arguments.of("all cpu and no memory scores 50", pod("p").container("cpu", "4").info(), 50L),
        Arguments.of(
            "more than the node has is capped at full use",
            pod("p").container("cpu", "8").info(),
            50L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void prefersBalancedUse(String name, PodInfo pod, long expected) {
    Snapshot nodes = Snapshot.of(List.of(NodeInfo.of(node("n").build())));
    assertThat(PluginHarness.score(new NodeResourcesBalancedAllocation(), pod, nodes))
        .containsExactly(expected);
  }
}
