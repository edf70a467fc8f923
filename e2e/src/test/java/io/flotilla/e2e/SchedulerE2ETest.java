package io.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler that {@code flotilla server} runs in-process, against 100 nodes registered through
 * the API: n00..n99 in zones z0..z4 (n % 5), 4 cpu and 16Gi each; every tenth node (n00, n10, …)
 * has an SSD; n95..n99 have 64 cpu; n90..n94 are tainted dedicated=infra:NoSchedule and labelled
 * pool=infra.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchedulerE2ETest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  @TempDir static Path dir;
  private FlotillaProcess server;
  private KubernetesClient client;
  private Kubectl kubectl;

  @BeforeAll
  void start() throws Exception {
    // The nodes here are API objects without a node agent behind them: the node lifecycle
    // controller would mark them NotReady after its grace period, so it stays off.
    server = FlotillaProcess.start(dir.resolve("data"), "--disable", "controllers");
    client = DurabilityE2ETest.client(server.kubeconfig());
    kubectl = new Kubectl(server.kubeconfig());
    for (int i = 0; i < 100; i++) {
      register(i);
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void register(int i) {
    String name = "n%02d".formatted(i);
    Map<String, String> labels = new HashMap<>();
    labels.put("kubernetes.io/hostname", name);
    labels.put("topology.kubernetes.io/zone", "z" + (i % 5));
    if (i % 10 == 0) {
      labels.put("disk", "ssd");
    }
    if (i >= 90 && i < 95) {
      labels.put("pool", "infra");
    }
    NodeBuilder n =
        new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata();
    if (i >= 90 && i < 95) {
      n.withNewSpec()
          .addNewTaint()
          .withKey("dedicated")
          .withValue("infra")
          .withEffect("NoSchedule")
          .endTaint()
          .endSpec();
    }
    Node node = n.build();
    client.nodes().resource(node).create();
    Map<String, Quantity> capacity =
        Map.of(
            "cpu", new Quantity(i >= 95 ? "64" : "4"),
            "memory", new Quantity("16Gi"),
            "pods", new Quantity("110"));
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    Map<String, Object> status =
        Map.of(
            "capacity", capacity,
            "allocatable", capacity,
            "conditions",
                List.of(
                    Map.of(
                        "type", "Ready",
                        "status", "True",
                        "reason", "KubeletReady",
                        "lastHeartbeatTime", now,
                        "lastTransitionTime", now)));
    client
        .nodes()
        .withName(name)
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            client.getKubernetesSerialization().asJson(Map.of("status", status)));
  }

  private void pod(
      String name, Map<String, String> labels, String cpu, UnaryOperator<PodBuilder> spec) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("c")
            .withImage("busybox")
            .withNewResources()
            .addToRequests("cpu", new Quantity(cpu))
            .endResources()
            .endContainer()
            .endSpec();
    client.pods().inNamespace("default").resource(spec.apply(b).build()).create();
  }

  private String awaitBound(String name) {
    return await(name + " bound")
        .atMost(WAIT)
        .until(
            () -> {
              Pod p = client.pods().inNamespace("default").withName(name).get();
              return p == null ? null : p.getSpec().getNodeName();
            },
            n -> n != null && !n.isEmpty());
  }

  private static int index(String node) {
    return Integer.parseInt(node.substring(1));
  }

  @Test
  void podsOfEveryConstraintKindLandWhereUpstreamWouldPutThem() {
    pod("ssd", Map.of(), "100m", b -> b.editSpec().addToNodeSelector("disk", "ssd").endSpec());
    pod(
        "infra",
        Map.of(),
        "100m",
        b ->
            b.editSpec()
                .addToNodeSelector("pool", "infra")
                .addNewToleration()
                .withKey("dedicated")
                .withOperator("Equal")
                .withValue("infra")
                .withEffect("NoSchedule")
                .endToleration()
                .endSpec());
    pod("wide", Map.of(), "20", b -> b);
    for (int i = 0; i < 5; i++) {
      pod(
          "solo-" + i,
          Map.of("app", "solo"),
          "100m",
          b ->
              b.editSpec()
                  .withNewAffinity()
                  .withNewPodAntiAffinity()
                  .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                  .withTopologyKey("topology.kubernetes.io/zone")
                  .withNewLabelSelector()
                  .addToMatchLabels("app", "solo")
                  .endLabelSelector()
                  .endRequiredDuringSchedulingIgnoredDuringExecution()
                  .endPodAntiAffinity()
                  .endAffinity()
                  .endSpec());
    }
    for (int i = 0; i < 10; i++) {
      pod(
          "spread-" + i,
          Map.of("app", "spread"),
          "100m",
          b ->
              b.editSpec()
                  .addNewTopologySpreadConstraint()
                  .withMaxSkew(1)
                  .withTopologyKey("topology.kubernetes.io/zone")
                  .withWhenUnsatisfiable("DoNotSchedule")
                  .withNewLabelSelector()
                  .addToMatchLabels("app", "spread")
                  .endLabelSelector()
                  .endTopologySpreadConstraint()
                  .endSpec());
    }

    assertThat(index(awaitBound("ssd")) % 10).as("an SSD node").isZero();
    assertThat(index(awaitBound("infra"))).as("an infra node").isBetween(90, 94);
    assertThat(index(awaitBound("wide"))).as("a 64-cpu node").isBetween(95, 99);
    Set<String> zones = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      int n = index(awaitBound("solo-" + i));
      assertThat(n < 90 || n > 94).as("solo-%d (on n%02d) off the tainted nodes", i, n).isTrue();
      zones.add("z" + n % 5);
    }
    assertThat(zones).as("one solo pod per zone").hasSize(5);
    Map<String, Integer> perZone = new HashMap<>();
    for (int i = 0; i < 10; i++) {
      perZone.merge("z" + index(awaitBound("spread-" + i)) % 5, 1, Integer::sum);
    }
    assertThat(perZone)
        .as("two per zone")
        .hasSize(5)
        .allSatisfy((z, n) -> assertThat(n).isEqualTo(2));
  }

  @Test
  void kubectlDescribeShowsWhyAPodCannotBeScheduled() {
    pod("too-big", Map.of(), "1000", b -> b);
    await("FailedScheduling in kubectl describe")
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(kubectl.run("describe", "pod", "too-big").assertOk().stdout())
                    .contains("FailedScheduling")
                    .contains(
                        "0/100 nodes are available: 5 node(s) had untolerated taint {dedicated:"
                            + " infra}, 95 Insufficient cpu.")
                    .containsPattern("PodScheduled\\s+False"));
  }
}
