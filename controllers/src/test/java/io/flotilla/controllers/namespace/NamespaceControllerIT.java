package io.flotilla.controllers.namespace;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.flotilla.controllers.testsupport.ControllerHarness;
import io.flotilla.controllers.testsupport.Crds;
import io.flotilla.controllers.testsupport.TestPods;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NamespaceControllerIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @Test
  void deletingANamespaceWithObjectsOfManyKindsLeavesNothingBehind() {
    try (var h =
        new ControllerHarness(
            ControllerHarness.of(NamespaceController.NAME, NamespaceController::create))) {
      KubernetesClient k = h.client;
      Crds.createWidgets(k);
      await().atMost(WAIT).until(() -> k.getApiResources("example.com/v1") != null);
      String ns = "doomed";
      k.namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
      k.configMaps()
          .inNamespace(ns)
          .resource(new ConfigMapBuilder().withNewMetadata().withName("cm").endMetadata().build())
          .create();
      k.secrets()
          .inNamespace(ns)
          .resource(new SecretBuilder().withNewMetadata().withName("s").endMetadata().build())
          .create();
      k.services()
          .inNamespace(ns)
          .resource(
              new ServiceBuilder()
                  .withNewMetadata()
                  .withName("svc")
                  .endMetadata()
                  .withNewSpec()
                  .addNewPort()
                  .withPort(80)
                  .endPort()
                  .endSpec()
                  .build())
          .create();
      k.pods()
          .inNamespace(ns)
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName("p")
                  .endMetadata()
                  .withSpec(TestPods.template(Map.of("a", "b"), "nginx").getSpec())
                  .build())
          .create();
      k.apps()
          .deployments()
          .inNamespace(ns)
          .resource(
              new DeploymentBuilder()
                  .withNewMetadata()
                  .withName("d")
                  .endMetadata()
                  .withNewSpec()
                  .withNewSelector()
                  .withMatchLabels(Map.of("a", "b"))
                  .endSelector()
                  .withTemplate(TestPods.template(Map.of("a", "b"), "nginx"))
                  .endSpec()
                  .build())
          .create();
      ResourceDefinitionContext widgets =
          new ResourceDefinitionContext.Builder()
              .withGroup("example.com")
              .withVersion("v1")
              .withPlural("widgets")
              .withKind("Widget")
              .withNamespaced(true)
              .build();
      k.genericKubernetesResources(widgets)
          .inNamespace(ns)
          .resource(
              new GenericKubernetesResourceBuilder()
                  .withApiVersion("example.com/v1")
                  .withKind("Widget")
                  .withNewMetadata()
                  .withName("w")
                  .withNamespace(ns)
                  .endMetadata()
                  .build())
          .create();

      k.namespaces().withName(ns).delete();
      await().atMost(WAIT).until(() -> k.namespaces().withName(ns).get() == null);
      await().atMost(WAIT).until(() -> k.configMaps().inNamespace(ns).list().getItems().isEmpty());
      org.assertj.core.api.Assertions.assertThat(k.pods().inNamespace(ns).list().getItems())
          .isEmpty();
      org.assertj.core.api.Assertions.assertThat(
              k.apps().deployments().inNamespace(ns).list().getItems())
          .isEmpty();
      org.assertj.core.api.Assertions.assertThat(
              k.genericKubernetesResources(widgets).inNamespace(ns).list().getItems())
          .isEmpty();
      org.assertj.core.api.Assertions.assertThat(k.secrets().inNamespace(ns).list().getItems())
          .isEmpty();
    }
  }

  @Test
  void aNamespaceWithContentThatCannotGoYetReportsWhatRemains() {
    try (var h =
        new ControllerHarness(
            ControllerHarness.of(NamespaceController.NAME, NamespaceController::create))) {
      KubernetesClient k = h.client;
      String ns = "sticky";
      k.namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
      k.configMaps()
          .inNamespace(ns)
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("held")
                  .withFinalizers("example.com/hold")
                  .endMetadata()
                  .build())
          .create();
      k.namespaces().withName(ns).delete();
      await()
          .atMost(WAIT)
          .until(
              () -> {
                var n = k.namespaces().withName(ns).get();
                return n.getStatus().getConditions() != null
                    && n.getStatus().getConditions().stream()
                        .anyMatch(
                            c ->
                                c.getType().equals("NamespaceFinalizersRemaining")
                                    && c.getStatus().equals("True")
                                    && c.getMessage()
                                        .contains("example.com/hold in 1 resource instances"));
              });
      k.configMaps()
          .inNamespace(ns)
          .withName("held")
          .edit(c -> new ConfigMapBuilder(c).editMetadata().withFinalizers().endMetadata().build());
      await().atMost(WAIT).until(() -> k.namespaces().withName(ns).get() == null);
    }
  }
}
