package io.flotilla.scheduler.framework;

import static io.flotilla.scheduler.testutil.TestNodes.node;
import static io.flotilla.scheduler.testutil.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeInfoTest {
  @Test
  void sumsRequestsAndPortsOfItsPodsAndForgetsRemovedOnes() {
    NodeInfo n =
        NodeInfo.of(
            node("n").build(),
            pod("a").container("cpu", "1", "memory", "1Gi").hostPort(80, "TCP", null).info(),
            pod("b").info());
    assertThat(n.requested().milliCpu()).isEqualTo(1000);
    // a's port container and b's container have no requests: 100m each for scoring
    assertThat(n.nonZeroRequested().milliCpu()).isEqualTo(1200);
    assertThat(n.usedPorts()).hasSize(1);
    assertThat(n.removePod(pod("a").info())).isTrue();
    assertThat(n.requested().milliCpu()).isZero();
    assertThat(n.usedPorts()).isEmpty();
    assertThat(n.removePod(pod("a").info())).isFalse();
  }

  @Test
  void aCachedCountIsRecomputedOnceThePodsChange() {
    NodeInfo n = NodeInfo.of(node("n").build(), pod("a").info());
    assertThat(n.cachedCount("k", x -> x.pods().size())).isEqualTo(1);
    n.addPod(pod("b").info());
    assertThat(n.cachedCount("k", x -> x.pods().size())).isEqualTo(2);
    NodeInfo copy = n.copy();
    copy.removePod(pod("a").info());
    assertThat(copy.cachedCount("k", x -> x.pods().size())).isEqualTo(1);
    assertThat(n.cachedCount("k", x -> x.pods().size())).isEqualTo(2);
  }

  @Test
  void aCopyIsIndependentOfTheOriginal() {
    NodeInfo n = NodeInfo.of(node("n").build(), pod("a").container("cpu", "1").info());
    NodeInfo copy = n.copy();
    copy.addPod(pod("b").container("cpu", "1").info());
    assertThat(n.pods()).hasSize(1);
    assertThat(n.requested().milliCpu()).isEqualTo(1000);
    assertThat(copy.requested().milliCpu()).isEqualTo(2000);
  }
}
