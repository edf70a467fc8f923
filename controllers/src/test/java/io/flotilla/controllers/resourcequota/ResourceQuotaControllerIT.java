package io.flotilla.controllers.resourcequota;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.flotilla.controllers.testsupport.ClockedHarness;
import io.flotilla.controllers.testsupport.ControllerHarness;
import io.flotilla.controllers.testsupport.TestPods;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceQuotaControllerIT {
  static Pod pod(ClockedHarness h, String name, String cpu, String memLimit) {
    return h.client
        .pods()
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("x")
                .withNewResources()
                .addToRequests("cpu", new Quantity(cpu))
                .addToLimits("memory", new Quantity(memLimit))
                .endResources()
                .endContainer()
                .endSpec()
                .build())
        .create();
  }

  static ResourceQuota get(ClockedHarness h) {
    return h.client.resourceQuotas().inNamespace("default").withName("q").get();
  }

  static boolean used(ClockedHarness h, String resource, String want) {
    ResourceQuota q = get(h);
    if (q.getStatus() == null
        || q.getStatus().getUsed() == null
        || q.getStatus().getUsed().get(resource) == null) {
      return false;
    }
    return q.getStatus()
            .getUsed()
            .get(resource)
            .getNumericalAmount()
            .compareTo(new Quantity(want).getNumericalAmount())
        == 0;
  }

  @Test
  void countsObjectsAndTheComputeResourcesOfNonTerminalPods() {
    try (ClockedHarness h =
        ClockedHarness.system(
            ControllerHarness.of(ResourceQuotaController.NAME, ResourceQuotaController::create))) {
      h.client
          .resourceQuotas()
          .resource(
              new ResourceQuotaBuilder()
                  .withNewMetadata()
                  .withName("q")
                  .withNamespace("default")
                  .endMetadata()
                  .withNewSpec()
                  .withHard(
                      Usage.quantities(
                          Map.of(
                              "pods",
                              "10",
                              "configmaps",
                              "5",
                              "requests.cpu",
                              "4",
                              "limits.memory",
                              "4Gi",
                              "count/deployments.apps",
                              "3",
                              "services",
                              "2")))
                  .endSpec()
                  .build())
          .create();
      pod(h, "a", "500m", "256Mi");
      pod(h, "b", "250m", "256Mi");
      Pod done = pod(h, "done", "1", "1Gi");
      h.finish(done, "Succeeded", 0);
      h.client
          .configMaps()
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("cm")
                  .withNamespace("default")
                  .endMetadata()
                  .build())
          .create();
      h.until(
          () ->
              used(h, "pods", "2")
                  && used(h, "requests.cpu", "750m")
                  && used(h, "limits.memory", "512Mi")
                  && used(h, "configmaps", "1")
                  && used(h, "count/deployments.apps", "0"));
      // A kind counted by count/<resource>.<group> is watched from then on: a new one is seen.
      h.client
          .apps()
          .deployments()
          .resource(
              new DeploymentBuilder()
                  .withNewMetadata()
                  .withName("d")
                  .withNamespace("default")
                  .endMetadata()
                  .withNewSpec()
                  .withNewSelector()
                  .addToMatchLabels("app", "d")
                  .endSelector()
                  .withTemplate(TestPods.template(Map.of("app", "d"), "x"))
                  .endSpec()
                  .build())
          .create();
      h.until(() -> used(h, "count/deployments.apps", "1"));
      ResourceQuota q = get(h);
      assertThat(q.getStatus().getHard().get("limits.memory").getNumericalAmount())
          .isEqualTo(new Quantity("4Gi").getNumericalAmount());
      assertThat(q.getStatus().getUsed().get("requests.cpu").toString()).isEqualTo("750m");
      assertThat(q.getStatus().getUsed().get("limits.memory").toString()).isEqualTo("512Mi");
      // The apiserver's own "kubernetes" Service lives in default.
      assertThat(q.getStatus().getUsed().get("services").getNumericalAmount())
          .isEqualTo(BigDecimal.ONE);
      h.client.pods().inNamespace("default").withName("a").delete();
      h.until(() -> used(h, "pods", "1") && used(h, "requests.cpu", "250m"));
    }
  }
}
