package io.flotilla.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RollingTest {
  private static Deployment deployment(int replicas, String surge, String unavailable) {
    return new DeploymentBuilder()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxSurge(
            surge.endsWith("%") ? new IntOrString(surge) : new IntOrString(Integer.parseInt(surge)))
        .withMaxUnavailable(
            unavailable.endsWith("%")
                ? new IntOrString(unavailable)
                : new IntOrString(Integer.parseInt(unavailable)))
        .endRollingUpdate()
        .endStrategy()
        .endSpec()
        .build();
  }

  @ParameterizedTest(name = "{0} replicas, surge {1}, unavailable {2} -> {3} up, {4} down")
  @CsvSource({
    "10, 25%, 25%, 3, 2",
    "4, 25%, 25%, 1, 1",
    "3, 25%, 25%, 1, 0",
    "1, 0, 0, 0, 1",
    "10, 0%, 0%, 0, 1",
    "5, 2, 10, 2, 5",
    "0, 25%, 25%, 0, 0",
  })
  void surgeRoundsUpAndUnavailabilityRoundsDownAsUpstream(
      int replicas, String surge, String unavailable, int wantSurge, int wantUnavailable) {
    Deployment d = deployment(replicas, surge, unavailable);
    assertThat(Rolling.maxSurge(d)).isEqualTo(wantSurge);
    assertThat(Rolling.maxUnavailable(d)).isEqualTo(wantUnavailable);
  }

  private static ReplicaSet rs(int replicas) {
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName("rs" + replicas)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .endSpec()
        .build();
  }

  @ParameterizedTest(name = "old {0} + new {1} of 10 (surge 3) -> new grows to {2}")
  @CsvSource({"10, 0, 3", "8, 3, 5", "7, 5, 6", "0, 9, 10", "10, 3, 3"})
  void theNewReplicaSetGrowsOnlyIntoTheSurge(int old, int current, int want) {
    Deployment d = deployment(10, "25%", "25%");
    ReplicaSet newRs = rs(current);
    assertThat(Rolling.newRsNewReplicas(d, List.of(rs(old), newRs), newRs)).isEqualTo(want);
  }
}
