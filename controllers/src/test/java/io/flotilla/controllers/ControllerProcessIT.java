package io.flotilla.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.controllers.runtime.ControllerManager;
import io.flotilla.testing.InProcessCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControllerProcessIT {
  @Test
  void runsTheDefaultControllersFromAKubeconfigUnderTheLeaseAndServesMetrics(@TempDir Path tmp)
      throws Exception {
    try (InProcessCluster c = InProcessCluster.start();
        ControllerProcess p =
            ControllerProcess.start(
                c.writeKubeconfig(tmp.resolve("kubeconfig")), true, "127.0.0.1", 0)) {
      KubernetesClient k = c.client();
      await().atMost(Duration.ofSeconds(60)).until(() -> p.manager().isLeading());
      assertThat(
              k.leases()
                  .inNamespace(ControllerManager.LEASE_NAMESPACE)
                  .withName(ControllerManager.LEASE_NAME)
                  .get())
          .isNotNull();
      k.namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName("fresh").endMetadata().build())
          .create();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> k.serviceAccounts().inNamespace("fresh").withName("default").get() != null);
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + p.metricsPort() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body())
          .contains("workqueue_depth{name=\"deployment\"}")
          .contains("controller_runtime_reconcile_total{controller=\"serviceaccount\"");
    }
  }
}
