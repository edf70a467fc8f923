package io.flotilla.controllers.podgc;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.flotilla.controllers.testsupport.ClockedHarness;
import io.flotilla.controllers.testsupport.ControllerHarness;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PodGcControllerIT {
  static Pod pod(ClockedHarness h, String name, String node) {
    return h.client
        .pods()
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .addNewContainer()
                .withName("c")
                .withImage("x")
                .endContainer()
                .endSpec()
                .build())
        .create();
  }

  static boolean gone(ClockedHarness h, String name) {
    return h.client.pods().inNamespace("default").withName(name).get() == null;
  }

  @Test
  void deletesPodsOfANodeGoneForTheQuarantineTime() {
    try (ClockedHarness h =
        ClockedHarness.manual(
            ControllerHarness.of(PodGcController.NAME, PodGcController::create))) {
      h.client
          .nodes()
          .resource(new NodeBuilder().withNewMetadata().withName("alive").endMetadata().build())
          .create();
      pod(h, "on-alive", "alive");
      pod(h, "on-ghost", "ghost");
      h.until(() -> h.manualClock().pending() > 0);
      h.manualClock().advance(Duration.ofSeconds(20));
      assertThat(gone(h, "on-ghost")).isFalse();
      h.manualClock().advance(Duration.ofSeconds(25));
      h.until(() -> gone(h, "on-ghost"));
      assertThat(gone(h, "on-alive")).isFalse();
    }
  }

  @Test
  void keepsOnlyTheNewestTerminatedPodsBeyondTheThreshold() {
    try (ClockedHarness h =
        ClockedHarness.manual(
            ControllerHarness.of(
                PodGcController.NAME,
                PodGcController.factory(
                    new PodGcController.Options(
                        2, Duration.ofSeconds(40), Duration.ofSeconds(20)))))) {
      h.client
          .nodes()
          .resource(new NodeBuilder().withNewMetadata().withName("n").endMetadata().build())
          .create();
      for (String name : new String[] {"t0", "t1", "t2", "t3"}) {
        Pod p = pod(h, name, "n");
        h.finish(p, "Succeeded", 0);
        h.until(
            () ->
                h.client
                        .pods()
                        .inNamespace("default")
                        .withName(name)
                        .get()
                        .getMetadata()
                        .getCreationTimestamp()
                    != null);
        h.manualClock().advance(Duration.ofMillis(10));
      }
      h.until(() -> h.client.pods().inNamespace("default").list().getItems().size() == 2);
      // Creation timestamps have one-second precision: the two kept are the newest by (time, name).
      assertThat(gone(h, "t2") || gone(h, "t3")).isFalse();
    }
  }
}
