package io.flotilla.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.controllers.replicaset.ReplicaSetController;
import io.flotilla.controllers.runtime.ManualClock;
import io.flotilla.controllers.testsupport.ControllerHarness;
import io.flotilla.controllers.testsupport.TestPods;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The progress deadline on a clock the test drives: ten minutes pass without waiting for them. */
class ProgressDeadlineIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static String progressing(Deployment d) {
    if (d.getStatus() == null || d.getStatus().getConditions() == null) {
      return null;
    }
    return d.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals("Progressing"))
        .map(c -> c.getStatus() + "/" + c.getReason())
        .findFirst()
        .orElse(null);
  }

  @Test
  void aRolloutThatMakesNoProgressForProgressDeadlineSecondsIsMarkedAsExceeded() {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    try (var h =
        new ControllerHarness(
            clock,
            ControllerHarness.of(ReplicaSetController.NAME, ReplicaSetController::create),
            ControllerHarness.of(DeploymentController.NAME, DeploymentController::create))) {
      KubernetesClient k = h.client;
      Map<String, String> labels = Map.of("app", "slow");
      k.apps()
          .deployments()
          .inNamespace("default")
          .resource(
              new DeploymentBuilder()
                  .withNewMetadata()
                  .withName("slow")
                  .endMetadata()
                  .withNewSpec()
                  .withReplicas(2)
                  .withProgressDeadlineSeconds(600)
                  .withNewSelector()
                  .withMatchLabels(labels)
                  .endSelector()
                  .withTemplate(TestPods.template(labels, "nginx"))
                  .endSpec()
                  .build())
          .create();
      await()
          .atMost(WAIT)
          .until(
              () -> {
                Deployment d = k.apps().deployments().inNamespace("default").withName("slow").get();
                return d.getStatus() != null
                    && Integer.valueOf(2).equals(d.getStatus().getUpdatedReplicas())
                    && "True".equals(String.valueOf(progressing(d)).split("/")[0]);
              });
      // Time moves only when the test moves it: ten seconds per poll until the deadline passes.
      await()
          .atMost(WAIT)
          .until(
              () -> {
                clock.advance(Duration.ofSeconds(10));
                return "False/ProgressDeadlineExceeded"
                    .equals(
                        progressing(
                            k.apps().deployments().inNamespace("default").withName("slow").get()));
              });
      var exceeded =
          k
              .apps()
              .deployments()
              .inNamespace("default")
              .withName("slow")
              .get()
              .getStatus()
              .getConditions()
              .stream()
              .filter(c -> c.getType().equals("Progressing"))
              .findFirst()
              .orElseThrow();
      assertThat(Instant.parse(exceeded.getLastTransitionTime()))
          .as("not before progressDeadlineSeconds passed on the driven clock")
          .isAfterOrEqualTo(Instant.parse("2026-01-01T00:10:00Z"));
      assertThat(exceeded.getMessage()).endsWith("has timed out progressing.");
    }
  }
}
