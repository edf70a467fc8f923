package io.flotilla.controllers.disruption;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.flotilla.controllers.testsupport.ClockedHarness;
import io.flotilla.controllers.testsupport.ControllerHarness;
import io.flotilla.controllers.testsupport.TestPods;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DisruptionControllerIT {
  static ClockedHarness harness() {
    return ClockedHarness.system(
        ControllerHarness.of(DisruptionController.NAME, DisruptionController::create));
  }

  static Pod readyPod(ClockedHarness h, String name, String app, ReplicaSet owner) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .addToLabels("app", app)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("c")
            .withImage("x")
            .endContainer()
            .endSpec();
    if (owner != null) {
      b.editMetadata()
          .withOwnerReferences(
              new OwnerReferenceBuilder()
                  .withApiVersion("apps/v1")
                  .withKind("ReplicaSet")
                  .withName(owner.getMetadata().getName())
                  .withUid(owner.getMetadata().getUid())
                  .withController(true)
                  .build())
          .endMetadata();
    }
    return h.ready(h.client.pods().resource(b.build()).create());
  }

  static PodDisruptionBudget pdb(
      ClockedHarness h,
      String name,
      String app,
      IntOrString minAvailable,
      IntOrString maxUnavailable) {
    return h.client
        .policy()
        .v1()
        .podDisruptionBudget()
        .resource(
            new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withMinAvailable(minAvailable)
                .withMaxUnavailable(maxUnavailable)
                .withNewSelector()
                .addToMatchLabels("app", app)
                .endSelector()
                .endSpec()
                .build())
        .create();
  }

  static PodDisruptionBudget get(ClockedHarness h, String name) {
    return h.client.policy().v1().podDisruptionBudget().inNamespace("default").withName(name).get();
  }

  static boolean status(
      ClockedHarness h, String name, int expected, int desired, int healthy, int allowed) {
    PodDisruptionBudget p = get(h, name);
    return p.getStatus() != null
        && Integer.valueOf(expected).equals(p.getStatus().getExpectedPods())
        && Integer.valueOf(desired).equals(p.getStatus().getDesiredHealthy())
        && Integer.valueOf(healthy).equals(p.getStatus().getCurrentHealthy())
        && Integer.valueOf(allowed).equals(p.getStatus().getDisruptionsAllowed());
  }

  static String allowedCondition(ClockedHarness h, String name) {
    return get(h, name).getStatus().getConditions().stream()
        .filter(c -> c.getType().equals("DisruptionAllowed"))
        .map(c -> c.getStatus() + "/" + c.getReason())
        .findFirst()
        .orElse("");
  }

  @Test
  void minAvailableBudgetAllowsOneEvictionThenTheEvictionApiRefuses() {
    try (ClockedHarness h = harness()) {
      for (String n : new String[] {"db-0", "db-1", "db-2"}) {
        readyPod(h, n, "db", null);
      }
      pdb(h, "db", "db", new IntOrString(2), null);
      h.until(() -> status(h, "db", 3, 2, 3, 1));
      assertThat(allowedCondition(h, "db")).isEqualTo("True/SufficientPods");
      assertThat(get(h, "db").getStatus().getObservedGeneration())
          .isEqualTo(get(h, "db").getMetadata().getGeneration());
      assertThat(h.client.pods().inNamespace("default").withName("db-0").evict()).isTrue();
      h.until(() -> status(h, "db", 2, 2, 2, 0));
      assertThat(allowedCondition(h, "db")).isEqualTo("False/InsufficientPods");
      // The eviction API answers 429, which fabric8 reports as false.
      assertThat(h.client.pods().inNamespace("default").withName("db-1").evict()).isFalse();
      assertThat(h.client.pods().inNamespace("default").withName("db-1").get()).isNotNull();
    }
  }

  @Test
  void percentagesUseTheScaleOfThePodsControllers() {
    try (ClockedHarness h = harness()) {
      ReplicaSet rs =
          h.client
              .apps()
              .replicaSets()
              .resource(
                  new ReplicaSetBuilder()
                      .withNewMetadata()
                      .withName("web")
                      .withNamespace("default")
                      .endMetadata()
                      .withNewSpec()
                      .withReplicas(4)
                      .withNewSelector()
                      .addToMatchLabels("app", "web")
                      .endSelector()
                      .withTemplate(TestPods.template(Map.of("app", "web"), "x"))
                      .endSpec()
                      .build())
              .create();
      for (int i = 0; i < 3; i++) {
        readyPod(h, "web-" + i, "web", rs);
      }
      pdb(h, "web", "web", null, new IntOrString("25%"));
      // 4 expected from the ReplicaSet, 25% of 4 = 1 may be unavailable, 3 healthy: none allowed.
      h.until(() -> status(h, "web", 4, 3, 3, 0));
      readyPod(h, "web-3", "web", rs);
      h.until(() -> status(h, "web", 4, 3, 4, 1));
      readyPod(h, "stray", "web", null);
      h.until(
          () ->
              get(h, "web").getStatus().getConditions().stream()
                  .anyMatch(c -> "SyncFailed".equals(c.getReason())));
      assertThat(get(h, "web").getStatus().getDisruptionsAllowed()).isZero();
    }
  }
}
