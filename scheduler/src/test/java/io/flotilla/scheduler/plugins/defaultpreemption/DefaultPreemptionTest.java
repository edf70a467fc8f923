package io.flotilla.scheduler.plugins.defaultpreemption;

import static io.flotilla.scheduler.testutil.TestNodes.node;
import static io.flotilla.scheduler.testutil.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.scheduler.cache.Snapshot;
import io.flotilla.scheduler.framework.CycleState;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.PostFilterResult;
import io.flotilla.scheduler.framework.Status;
import io.flotilla.scheduler.testutil.TestHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DefaultPreemptionTest {
  static PodInfo v(String name, int priority, String start) {
    return pod(name).priority(priority).startTime(start).info();
  }

  static final String EARLY = "2026-01-01T00:00:00Z";
  static final String LATE = "2026-01-01T01:00:00Z";

  static Stream<Arguments> choices() {
    return Stream.of(
        Arguments.of(
            "the lowest highest-priority victim wins",
            List.of(
                new Candidate("a", List.of(v("x", 10, EARLY))),
                new Candidate("b", List.of(v("y", 5, EARLY), v("z", 5, EARLY)))),
            "b"),
        Arguments.of(
            "then the smallest sum of priorities",
            List.of(
                new Candidate("a", List.of(v("x", 5, EARLY), v("y", 4, EARLY))),
                new Candidate("b", List.of(v("z", 5, EARLY), v("w", 1, EARLY)))),
            "b"),
        Arguments.of(
            "then the fewest victims",
            List.of(
                new Candidate("a", List.of(v("x", -5, EARLY), v("y", -5, EARLY))),
                new Candidate("b", List.of(v("z", -5, EARLY)))),
            "b"),
        Arguments.of(
            "then the latest-started highest-priority victims",
            List.of(
                new Candidate("a", List.of(v("x", 5, EARLY))),
                new Candidate("b", List.of(v("y", 5, LATE)))),
            "b"),
        Arguments.of(
            "a node needing no victims wins outright",
            List.of(new Candidate("a", List.of(v("x", 1, EARLY))), new Candidate("b", List.of())),
            "b"),
        Arguments.of(
            "all equal: the first",
            List.of(
                new Candidate("a", List.of(v("x", 1, EARLY))),
                new Candidate("b", List.of(v("y", 1, EARLY)))),
            "a"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("choices")
  void picksTheLeastHarmfulCandidate(String name, List<Candidate> candidates, String expected) {
    assertThat(CandidateSelector.pick(candidates).nodeName()).isEqualTo(expected);
  }

  static Stream<Arguments> candidateCounts() {
    return Stream.of(
        Arguments.of(5, 5),
        Arguments.of(100, 100),
        Arguments.of(500, 100),
        Arguments.of(5000, 500));
  }

  @ParameterizedTest(name = "{0} potential nodes → dry-run up to {1}")
  @MethodSource("candidateCounts")
  void triesTenPercentOfNodesButAtLeastAHundred(int nodes, int expected) {
    assertThat(DefaultPreemption.numCandidates(nodes)).isEqualTo(expected);
  }

  @Test
  void evictsOnlyLowerPriorityPodsThatMustGo() {
    NodeInfo n =
        NodeInfo.of(
            node("n").build(),
            pod("low").node("n").priority(1).info(),
            pod("mid").node("n").priority(5).info(),
            pod("high").node("n").priority(50).info());
    Snapshot snapshot = Snapshot.of(List.of(n));
    List<String> evicted = new ArrayList<>();
    // A stand-in filter: the pod fits where at most two pods remain.
    TestHandle handle =
        new TestHandle(snapshot) {
          @Override
          public Status runFilterPluginsWithNominatedPods(
              CycleState s, PodInfo pod, NodeInfo node) {
            return node.pods().size() <= 2 ? Status.success() : Status.unschedulable("full");
          }
        };
    DefaultPreemption plugin =
        new DefaultPreemption(
            handle,
            (victim, preemptor) -> evicted.add(victim.getMetadata().getName()),
            new Random(1));
    PostFilterResult r =
        plugin.postFilter(
            new CycleState(),
            pod("p").priority(10).info(),
            Map.of("n", Status.unschedulable("full")));
    assertThat(r.status().isSuccess()).isTrue();
    assertThat(r.nominatedNodeName()).isEqualTo("n");
    assertThat(evicted).containsExactly("low");
  }

  @Test
  void reportsNodesWherePreemptionCannotHelp() {
    Snapshot snapshot =
        Snapshot.of(
            List.of(
                NodeInfo.of(node("a").build()),
                NodeInfo.of(node("b").build(), pod("x").node("b").priority(100).info())));
    DefaultPreemption plugin =
        new DefaultPreemption(new TestHandle(snapshot), (victim, preemptor) -> {}, new Random(1));
    PostFilterResult r =
        plugin.postFilter(
            new CycleState(),
            pod("p").priority(10).info(),
            Map.of(
                "a", Status.unresolvable("taint"), "b", Status.unschedulable("Insufficient cpu")));
    assertThat(r.status().message())
        .isEqualTo(
            "preemption: 0/2 nodes are available:"
                + " 1 No preemption victims found for incoming pod,"
                + " 1 Preemption is not helpful for scheduling.");
    assertThat(r.nominatedNodeName()).isEmpty();
  }
}
