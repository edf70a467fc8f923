package io.flotilla.node.runtime.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimulatedNodeOptionsTest {

  @ParameterizedTest(name = "{0} is {1} ms")
  @CsvSource({"500ms, 500", "5s, 5000", "1m30s, 90000", "1.5s, 1500", "0, 0"})
  void parsesGoDurations(String text, long millis) {
    assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @Test
  void rejectsADurationWithoutAUnit() {
    assertThatThrownBy(() -> GoDuration.parse("5")).hasMessageContaining("500ms");
  }

  @Test
  void parsesTaintsAsKubectlWritesThem() {
    var taints = SimulatedNodeOptions.parseTaints("dedicated=gpu:NoSchedule,spot:PreferNoSchedule");
    assertThat(taints).extracting("key").containsExactly("dedicated", "spot");
    assertThat(taints).extracting("value").containsExactly("gpu", null);
    assertThat(taints).extracting("effect").containsExactly("NoSchedule", "PreferNoSchedule");
  }

  @Test
  void aTaintWithoutAnEffectSaysWhichEffectsExist() {
    assertThatThrownBy(() -> SimulatedNodeOptions.parseTaints("dedicated=gpu"))
        .hasMessageContaining("NoSchedule, PreferNoSchedule or NoExecute");
  }

  @Test
  void tooManyNodesForTheClusterCidrSuggestsALargerOne() {
    assertThatThrownBy(() -> SimulatedNodeOptions.defaults().withNodes(1000).validate())
        .hasMessageContaining("holds 256")
        .hasMessageContaining("--cluster-cidr 10.128.0.0/9");
  }

  @Test
  void cutsPodCidrsInNodeOrder() {
    assertThat(PodCidrs.nth("10.244.0.0/16", 24, 3)).isEqualTo("10.244.3.0/24");
    assertThat(PodCidrs.nth("10.128.0.0/9", 24, 300)).isEqualTo("10.129.44.0/24");
  }
}
