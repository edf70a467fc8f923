package io.flotilla.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodRankingTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  private static PodBuilder pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withUid(name)
        .withCreationTimestamp("2026-01-01T10:00:00Z")
        .endMetadata()
        .withNewSpec()
        .withNodeName("n1")
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .endStatus();
  }

  private static Pod ready(String name, String since) {
    return pod(name)
        .editStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .withLastTransitionTime(since)
        .endCondition()
        .endStatus()
        .build();
  }

  static Stream<Arguments> cases() {
    Pod readyOld = ready("ready", "2026-01-01T10:00:00Z");
    return Stream.of(
        Arguments.of(
            "unscheduled before scheduled",
            pod("a").editSpec().withNodeName(null).endSpec().build(),
            readyOld),
        Arguments.of(
            "pending before running",
            pod("a").editStatus().withPhase("Pending").endStatus().build(),
            pod("b").build()),
        Arguments.of("not ready before ready", pod("a").build(), readyOld),
        Arguments.of(
            "lower deletion cost first",
            ready("a", "2026-01-01T10:00:00Z").toBuilder()
                .editMetadata()
                .addToAnnotations(PodRanking.DELETION_COST, "-5")
                .endMetadata()
                .build(),
            readyOld),
        Arguments.of(
            "doubled up on a node first",
            ready("a", "2026-01-01T10:00:00Z").toBuilder()
                .editSpec()
                .withNodeName("crowded")
                .endSpec()
                .build(),
            readyOld),
        Arguments.of(
            "ready for a shorter time first", ready("a", "2026-01-01T11:59:00Z"), readyOld),
        Arguments.of(
            "more restarts first",
            pod("a")
                .editStatus()
                .addNewContainerStatus()
                .withName("c")
                .withRestartCount(4)
                .endContainerStatus()
                .endStatus()
                .build(),
            pod("b").build()),
        Arguments.of(
            "newer first",
            pod("a")
                .editMetadata()
                .withCreationTimestamp("2026-01-01T11:59:00Z")
                .endMetadata()
                .build(),
            pod("b").build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void deletesTheFirstPodBeforeTheSecond(String name, Pod first, Pod second) {
    Pod crowdedPeer =
        ready("peer", "2026-01-01T10:00:00Z").toBuilder()
            .editSpec()
            .withNodeName("crowded")
            .endSpec()
            .build();
    Pod crowdedPeer2 =
        ready("peer2", "2026-01-01T10:00:00Z").toBuilder()
            .editSpec()
            .withNodeName("crowded")
            .endSpec()
            .build();
    PodRanking ranking = new PodRanking(List.of(first, second, crowdedPeer, crowdedPeer2), NOW);
    assertThat(ranking.pickForDeletion(List.of(second, first), 1)).containsExactly(first);
    assertThat(ranking.pickForDeletion(List.of(first, second), 1)).containsExactly(first);
  }
}
