package io.flotilla.scheduler.plugins.noderesourcesfit;

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

class NodeResourcesFitTest {
  static final String CPU = NodeResourcesFit.INSUFFICIENT_CPU;
  static final String MEM = NodeResourcesFit.INSUFFICIENT_MEMORY;
  static final Code NO = Code.UNSCHEDULABLE;
  static final Code NEVER = Code.UNSCHEDULABLE_AND_UNRESOLVABLE;

  /** 4 cpu, 8Gi, 2 GPUs; 3 cpu and 1 GPU already requested: 1 cpu, 1 GPU free. */
  static Snapshot nodes() {
    return Snapshot.of(
        List.of(
            NodeInfo.of(
                node("n").allocatable("example.com/gpu", "2").build(),
                pod("busy").node("n").container("cpu", "3", "example.com/gpu", "1").info())));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "a pod that fits", pod("p").container("cpu", "1").info(), Code.SUCCESS, List.of()),
        Arguments.of("a pod without requests fits", pod("p").info(), Code.SUCCESS, List.of()),
        Arguments.of(
            "cpu beyond what is free, preemption could help",
            pod("p").container("cpu", "1500m").info(),
            NO,
            List.of(CPU)),
        Arguments.of(
            "cpu beyond the node's allocatable, preemption cannot help",
            pod("p").container("cpu", "5").info(),
            NEVER,
            List.of(CPU)),
        Arguments.of(
            "every insufficient resource is reported",
            pod("p").container("cpu", "2", "memory", "9Gi").info(),
            NEVER,
            List.of(CPU, MEM)),
        Arguments.of(
            "extended resources count",
            pod("p").container("example.com/gpu", "2").info(),
            NO,
            List.of("Insufficient example.com/gpu")),
        Arguments.of(
            "an extended resource the node lacks",
            pod("p").container("example.com/fpga", "1").info(),
            NEVER,
            List.of("Insufficient example.com/fpga")),
        Arguments.of(
            "init containers count by their maximum",
            pod("p").container("cpu", "500m").initContainer("cpu", "1500m").info(),
            NO,
            List.of(CPU)),
        Arguments.of(
            "init containers below the containers' sum do not add",
            pod("p").container("cpu", "1").initContainer("cpu", "800m").info(),
            Code.SUCCESS,
            List.of()),
        Arguments.of(
            "sidecars add to the containers",
            pod("p").sidecar("cpu", "600m").container("cpu", "500m").info(),
            NO,
            List.of(CPU)),
        Arguments.of(
            "pod overhead adds",
            pod("p").container("cpu", "900m").overhead("cpu", "200m").info(),
            NO,
            List.of(CPU)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void checksRequestsAgainstFreeAllocatable(
      String name, PodInfo pod, Code code, List<String> reasons) {
    Status s = PluginHarness.filter(new NodeResourcesFit(), pod, nodes(), "n");
    assertThat(s.code()).isEqualTo(code);
    assertThat(s.reasons()).isEqualTo(reasons);
  }

  @ParameterizedTest(name = "a node with room for {0} pods")
  @MethodSource("podCounts")
  void countsPods(int allowed, Code code) {
    Snapshot one =
        Snapshot.of(
            List.of(NodeInfo.of(node("n").pods(allowed).build(), pod("other").node("n").info())));
    Status s = PluginHarness.filter(new NodeResourcesFit(), pod("p").info(), one, "n");
    assertThat(s.code()).isEqualTo(code);
    if (code != Code.SUCCESS) {
      assertThat(s.reasons()).containsExactly(NodeResourcesFit.TOO_MANY_PODS);
    }
  }

  static Stream<Arguments> podCounts() {
    return Stream.of(Arguments.of(1, Code.UNSCHEDULABLE), Arguments.of(2, Code.SUCCESS));
  }

  static Stream<Arguments> scores() {
    return Stream.of(
        Arguments.of(
            "least allocated prefers the empty node",
            ScoringStrategy.LEAST_ALLOCATED,
            pod("p").container("cpu", "1", "memory", "2Gi").info(),
            new long[] {75, 25}),
        Arguments.of(
            "most allocated prefers the busy node",
            ScoringStrategy.MOST_ALLOCATED,
            pod("p").container("cpu", "1", "memory", "2Gi").info(),
            new long[] {25, 75}),
        Arguments.of(
            "containers without requests count as 100m and 200Mi",
            ScoringStrategy.LEAST_ALLOCATED,
            pod("p").info(),
            new long[] {97, 47}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scores")
  void scoresByStrategy(String name, ScoringStrategy strategy, PodInfo pod, long[] expected) {
    Snapshot nodes =
        Snapshot.of(
            List.of(
                NodeInfo.of(node("empty").build()),
                NodeInfo.of(
                    node("busy").build(),
                    pod("b").node("busy").container("cpu", "2", "memory", "4Gi").info())));
    assertThat(PluginHarness.score(new NodeResourcesFit(strategy), pod, nodes))
        .containsExactly(expected);
  }
}
