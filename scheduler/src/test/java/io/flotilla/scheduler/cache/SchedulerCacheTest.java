package io.flotilla.scheduler.cache;

import static io.flotilla.scheduler.testutil.TestNodes.node;
import static io.flotilla.scheduler.testutil.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.testutil.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchedulerCacheTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final SchedulerCache cache = new SchedulerCache(clock, Duration.ofSeconds(30));
  final Snapshot snapshot = new Snapshot();

  @BeforeEach
  void twoNodes() {
    cache.addNode(node("n1").build());
    cache.addNode(node("n2").build());
  }

  @Test
  void anAssumedPodCountsOnItsNodeAtOnce() {
    cache.assumePod(pod("p").container("cpu", "1").info(), "n1");
    cache.updateSnapshot(snapshot);
    assertThat(snapshot.get("n1").requested().milliCpu()).isEqualTo(1000);
    assertThat(cache.isAssumed("default/p")).isTrue();
  }

  @Test
  void observingTheBoundPodConfirmsIt() {
    cache.assumePod(pod("p").container("cpu", "1").info(), "n1");
    cache.finishBinding(pod("p").info());
    cache.addPod(pod("p").node("n1").container("cpu", "1").info());
    assertThat(cache.isAssumed("default/p")).isFalse();
    clock.advance(Duration.ofHours(1));
    assertThat(cache.cleanupExpiredAssumedPods()).isEmpty();
    cache.updateSnapshot(snapshot);
    assertThat(snapshot.get("n1").pods()).hasSize(1);
  }

  @Test
  void aPodObservedOnAnotherNodeMovesThere() {
    cache.assumePod(pod("p").container("cpu", "1").info(), "n1");
    cache.addPod(pod("p").node("n2").container("cpu", "1").info());
    cache.updateSnapshot(snapshot);
    assertThat(snapshot.get("n1").pods()).isEmpty();
    assertThat(snapshot.get("n2").requested().milliCpu()).isEqualTo(1000);
  }

  @Test
  void forgettingAnAssumedPodFreesItsRoom() {
    PodInfo p = pod("p").container("cpu", "1").info();
    cache.assumePod(p, "n1");
    cache.updateSnapshot(snapshot);
    cache.forgetPod(p);
    cache.updateSnapshot(snapshot);
    assertThat(snapshot.get("n1").requested().milliCpu()).isZero();
    assertThat(cache.podCount()).isZero();
  }

  @Test
  void anAssumedPodExpiresOnlyAfterItsBindingFinishedAndTheTtlPassed() {
    PodInfo p = pod("p").info();
    cache.assumePod(p, "n1");
    clock.advance(Duration.ofHours(1));
    assertThat(cache.cleanupExpiredAssumedPods()).as("bind still in flight").isEmpty();
    cache.finishBinding(p);
    clock.advance(Duration.ofSeconds(29));
    assertThat(cache.cleanupExpiredAssumedPods()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.cleanupExpiredAssumedPods())
        .extracting(PodInfo::key)
        .containsExactly("default/p");
    assertThat(cache.podCount()).isZero();
  }

  @Test
  void aPodCannotBeAssumedTwice() {
    cache.assumePod(pod("p").info(), "n1");
    assertThatThrownBy(() -> cache.assumePod(pod("p").info(), "n2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("default/p");
  }

  @Test
  void theSnapshotCopiesOnlyChangedNodesAndKeepsItsObjects() {
    cache.updateSnapshot(snapshot);
    NodeInfo n1 = snapshot.get("n1");
    NodeInfo n2 = snapshot.get("n2");
    long before = snapshot.generation();
    cache.addPod(pod("p").node("n1").info());
    cache.updateSnapshot(snapshot);
    assertThat(snapshot.generation()).isGreaterThan(before);
    assertThat(snapshot.get("n1")).isSameAs(n1);
    assertThat(n1.pods()).hasSize(1);
    assertThat(n2.generation()).isLessThanOrEqualTo(before);
    assertThat(snapshot.list()).containsExactly(n1, n2);
  }

  @Test
  void snapshotsAreIsolatedFromLaterCacheChanges() {
    cache.updateSnapshot(snapshot);
    cache.addPod(pod("p").node("n1").info());
    assertThat(snapshot.get("n1").pods()).isEmpty();
  }

  @Test
  void theSnapshotTracksNodesWithAffinityPods() {
    cache.addPod(
        pod("p")
            .node("n2")
            .podAntiAffinity(
                io.flotilla.scheduler.testutil.TestPods.term("kubernetes.io/hostname", "a", "b"))
            .info());
    cache.updateSnapshot(snapshot);
    assertThat(snapshot.havePodsWithAffinity()).extracting(NodeInfo::name).containsExactly("n2");
    assertThat(snapshot.havePodsWithRequiredAntiAffinity())
        .extracting(NodeInfo::name)
        .containsExactly("n2");
    cache.removePod(pod("p").node("n2").info());
    cache.updateSnapshot(snapshot);
    assertThat(snapshot.havePodsWithAffinity()).isEmpty();
  }

  @Test
  void removedNodesLeaveTheSnapshotAndAddedOnesJoinIt() {
    cache.updateSnapshot(snapshot);
    cache.removeNode("n1");
    cache.addNode(node("n3").build());
    cache.updateSnapshot(snapshot);
    assertThat(snapshot.list()).extracting(NodeInfo::name).containsExactly("n2", "n3");
    assertThat(snapshot.get("n1")).isNull();
  }

  @Test
  void aNodeWithPodsLeavesTheSnapshotWhenDeletedAndItsPodsStayCounted() {
    cache.addPod(pod("p").node("n1").info());
    cache.removeNode("n1");
    cache.updateSnapshot(snapshot);
    assertThat(snapshot.get("n1")).isNull();
    assertThat(cache.nodeOf("default/p")).isEqualTo("n1");
  }

  @Test
  void namespaceLabelsReachTheSnapshot() {
    cache.setNamespaceLabels("team-a", Map.of("team", "a"));
    cache.updateSnapshot(snapshot);
    assertThat(snapshot.namespaceLabels().labels("team-a")).containsEntry("team", "a");
    assertThat(snapshot.namespaceLabels().labels("other")).isEmpty();
  }
}
