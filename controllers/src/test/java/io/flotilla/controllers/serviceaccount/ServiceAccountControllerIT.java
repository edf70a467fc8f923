package io.flotilla.controllers.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.flotilla.controllers.testsupport.ControllerHarness;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServiceAccountControllerIT {
  @Test
  void everyNamespaceGetsADefaultServiceAccountAndKeepsIt() {
    try (var h =
        new ControllerHarness(
            ControllerHarness.of(
                ServiceAccountController.NAME, ServiceAccountController::create))) {
      var k = h.client;
      k.namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName("team-a").endMetadata().build())
          .create();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> k.serviceAccounts().inNamespace("team-a").withName("default").get() != null);
      assertThat(k.serviceAccounts().inNamespace("kube-system").withName("default").get())
          .isNotNull();
      k.serviceAccounts().inNamespace("team-a").withName("default").delete();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                var sa = k.serviceAccounts().inNamespace("team-a").withName("default").get();
                return sa != null && sa.getMetadata().getDeletionTimestamp() == null;
              });
    }
  }
}
