package io.flotilla.controllers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.flotilla.controllers.endpointslice.EndpointSliceController;
import io.flotilla.controllers.testsupport.ClockedHarness;
import io.flotilla.controllers.testsupport.ControllerHarness;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Endpoints and EndpointSlice controllers over the same Services and pods. */
class EndpointsControllersIT {
  static ClockedHarness harness() {
    return ClockedHarness.system(
        ControllerHarness.of(EndpointsController.NAME, EndpointsController::create),
        ControllerHarness.of(EndpointSliceController.NAME, EndpointSliceController::create));
  }

  static Service service(String name, boolean publishNotReady) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .addToLabels("tier", "front")
        .endMetadata()
        .withNewSpec()
        .addToSelector("app", name)
        .withPublishNotReadyAddresses(publishNotReady)
        .addNewPort()
        .withName("http")
        .withPort(80)
        .withTargetPort(new IntOrString("http"))
        .endPort()
        .addNewPort()
        .withName("metrics")
        .withPort(9090)
        .withTargetPort(new IntOrString(9100))
        .endPort()
        .endSpec()
        .build();
  }

  static Pod pod(
      ClockedHarness h, String app, String name, int httpPort, String ip, boolean ready) {
    Pod p =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .addToLabels("app", app)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("c")
            .withImage("web")
            .addNewPort()
            .withName("http")
            .withContainerPort(httpPort)
            .endPort()
            .endContainer()
            .endSpec()
            .build();
    Pod created = h.client.pods().resource(p).create();
    if (ip == null) {
      return created;
    }
    Pod withStatus =
        new PodBuilder(created)
            .withNewStatus()
            .withPhase("Running")
            .withPodIP(ip)
            .addNewCondition()
            .withType("Ready")
            .withStatus(ready ? "True" : "False")
            .endCondition()
            .endStatus()
            .build();
    return h.client.pods().resource(withStatus).updateStatus();
  }

  static Endpoints endpoints(ClockedHarness h, String name) {
    return h.client.endpoints().inNamespace("default").withName(name).get();
  }

  static List<EndpointSlice> slices(ClockedHarness h, String svc) {
    return h.client
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace("default")
        .withLabel(EndpointSliceController.SERVICE_NAME_LABEL, svc)
        .list()
        .getItems();
  }

  static Map<String, Integer> ports(EndpointSubset s) {
    return s.getPorts().stream().collect(Collectors.toMap(p -> p.getName(), p -> p.getPort()));
  }

  @Test
  void readyPodsBecomeAddressesNotReadyOnesNotReadyAddressesWithPortsResolvedPerPod() {
    try (ClockedHarness h = harness()) {
      h.client.services().resource(service("web", false)).create();
      pod(h, "web", "web-a", 8080, "10.0.0.1", true);
      pod(h, "web", "web-b", 8081, "10.0.0.2", false);
      pod(h, "web", "web-c", 8080, null, true);
      h.until(() -> endpoints(h, "web") != null && endpoints(h, "web").getSubsets().size() == 2);
      Endpoints e = endpoints(h, "web");
      assertThat(e.getMetadata().getLabels()).containsEntry("tier", "front");
      EndpointSubset a =
          e.getSubsets().stream()
              .filter(s -> ports(s).get("http") == 8080)
              .findFirst()
              .orElseThrow();
      EndpointSubset b =
          e.getSubsets().stream()
              .filter(s -> ports(s).get("http") == 8081)
              .findFirst()
              .orElseThrow();
      assertThat(ports(a)).containsEntry("metrics", 9100);
      assertThat(a.getAddresses()).extracting(x -> x.getIp()).containsExactly("10.0.0.1");
      assertThat(a.getAddresses().getFirst().getTargetRef().getName()).isEqualTo("web-a");
      assertThat(b.getAddresses()).isEmpty();
      assertThat(b.getNotReadyAddresses()).extracting(x -> x.getIp()).containsExactly("10.0.0.2");

      h.until(() -> slices(h, "web").size() == 2);
      for (EndpointSlice s : slices(h, "web")) {
        assertThat(s.getMetadata().getLabels())
            .containsEntry(
                EndpointSliceController.MANAGED_BY_LABEL, EndpointSliceController.MANAGED_BY)
            .containsEntry("tier", "front");
        assertThat(s.getAddressType()).isEqualTo("IPv4");
        assertThat(s.getMetadata().getOwnerReferences().getFirst().getKind()).isEqualTo("Service");
      }
      Map<String, Boolean> readiness =
          slices(h, "web").stream()
              .flatMap(s -> s.getEndpoints().stream())
              .collect(
                  Collectors.toMap(
                      x -> x.getTargetRef().getName(), x -> x.getConditions().getReady()));
      assertThat(readiness).containsOnly(Map.entry("web-a", true), Map.entry("web-b", false));

      // The pod becomes ready: it moves to addresses; the pod is deleted: it leaves.
      Pod bp = h.client.pods().inNamespace("default").withName("web-b").get();
      h.client
          .pods()
          .resource(
              new PodBuilder(bp)
                  .editStatus()
                  .editFirstCondition()
                  .withStatus("True")
                  .endCondition()
                  .endStatus()
                  .build())
          .updateStatus();
      h.until(
          () ->
              endpoints(h, "web").getSubsets().stream()
                  .allMatch(s -> s.getNotReadyAddresses().isEmpty()));
      h.client.pods().inNamespace("default").withName("web-a").delete();
      h.until(
          () ->
              endpoints(h, "web").getSubsets().size() == 1
                  && slices(h, "web").stream().mapToInt(s -> s.getEndpoints().size()).sum() == 1);
      // Steady: no more writes once it matches.
      String rv = endpoints(h, "web").getMetadata().getResourceVersion();
      h.until(() -> Objects.equals(endpoints(h, "web").getMetadata().getResourceVersion(), rv));
    }
  }

  @Test
  void publishNotReadyAddressesListsEveryPodAsReady() {
    try (ClockedHarness h = harness()) {
      h.client.services().resource(service("all", true)).create();
      pod(h, "all", "all-a", 8080, "10.0.1.1", false);
      h.until(() -> endpoints(h, "all") != null && !endpoints(h, "all").getSubsets().isEmpty());
      assertThat(endpoints(h, "all").getSubsets().getFirst().getAddresses())
          .extracting(x -> x.getIp())
          .containsExactly("10.0.1.1");
      h.until(
          () ->
              slices(h, "all").stream()
                  .flatMap(s -> s.getEndpoints().stream())
                  .anyMatch(x -> Boolean.TRUE.equals(x.getConditions().getReady())));
    }
  }

  @Test
  void slicesHoldAtMostOneHundredEndpointsAndGoWithTheService() {
    try (ClockedHarness h = harness()) {
      h.client.services().resource(service("big", false)).create();
      for (int i = 0; i < 130; i++) {
        pod(h, "big", "big-" + i, 8080, "10.1." + (i / 200) + "." + (i % 200 + 1), true);
      }
      h.until(() -> slices(h, "big").stream().mapToInt(s -> s.getEndpoints().size()).sum() == 130);
      assertThat(slices(h, "big")).hasSize(2).allMatch(s -> s.getEndpoints().size() <= 100);
      List<Endpoint> all =
          slices(h, "big").stream().flatMap(s -> s.getEndpoints().stream()).toList();
      assertThat(all.stream().map(x -> x.getTargetRef().getName()).distinct()).hasSize(130);
      h.client.services().inNamespace("default").withName("big").delete();
      h.until(() -> endpoints(h, "big") == null && slices(h, "big").isEmpty());
    }
  }
}
