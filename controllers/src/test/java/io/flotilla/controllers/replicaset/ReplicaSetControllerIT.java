package io.flotilla.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ReplicationControllerBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.controllers.runtime.Pods;
import io.flotilla.controllers.testsupport.ControllerHarness;
import io.flotilla.controllers.testsupport.TestPods;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplicaSetControllerIT {
  private static final Map<String, String> LABELS = Map.of("app", "web");
  private ControllerHarness h;
  private KubernetesClient k;

  @BeforeEach
  void start() {
    h =
        new ControllerHarness(
            ControllerHarness.of(ReplicaSetController.NAME, ReplicaSetController::create),
            ControllerHarness.of(ReplicationManager.NAME, ReplicationManager::create));
    k = h.client;
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private ReplicaSet replicaSet(String name, int replicas, int minReadySeconds) {
    return k.apps()
        .replicaSets()
        .inNamespace("default")
        .resource(
            new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withMinReadySeconds(minReadySeconds)
                .withNewSelector()
                .withMatchLabels(LABELS)
                .endSelector()
                .withTemplate(TestPods.template(LABELS, "nginx"))
                .endSpec()
                .build())
        .create();
  }

  private List<Pod> activePods() {
    return k.pods().inNamespace("default").withLabels(LABELS).list().getItems().stream()
        .filter(Pods::isActive)
        .toList();
  }

  private ReplicaSet get(String name) {
    return k.apps().replicaSets().inNamespace("default").withName(name).get();
  }

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void createsOwnedPodsUpToReplicasAndCountsThemInStatus() {
    ReplicaSet rs = replicaSet("web", 3, 0);
    await()
        .atMost(WAIT)
        .until(
            () ->
                activePods().size() == 3
                    && get("web").getStatus() != null
                    && get("web").getStatus().getReplicas() == 3);
    for (Pod p : activePods()) {
      var ref = Pods.controllerOf(p).orElseThrow();
      assertThat(ref.getUid()).isEqualTo(rs.getMetadata().getUid());
      assertThat(ref.getKind()).isEqualTo("ReplicaSet");
      assertThat(ref.getBlockOwnerDeletion()).isTrue();
      assertThat(p.getMetadata().getName()).startsWith("web-");
    }
    ReplicaSet s = get("web");
    assertThat(s.getStatus().getFullyLabeledReplicas()).isEqualTo(3);
    assertThat(s.getStatus().getReadyReplicas()).isZero();
    assertThat(s.getStatus().getObservedGeneration()).isEqualTo(s.getMetadata().getGeneration());
    await()
        .atMost(WAIT)
        .until(
            () ->
                k.v1().events().inNamespace("default").list().getItems().stream()
                        .filter(e -> e.getReason().equals("SuccessfulCreate"))
                        .count()
                    == 3);
    assertThat(activePods()).as("no overshoot while the informer lags").hasSize(3);
  }

  @Test
  void countsReadyPodsAndMakesThemAvailableAfterMinReadySeconds() {
    replicaSet("web", 2, 1);
    await().atMost(WAIT).until(() -> activePods().size() == 2);
    Instant now = h.clock.now();
    activePods().forEach(p -> TestPods.markReady(k, p, now));
    await().atMost(WAIT).until(() -> get("web").getStatus().getReadyReplicas() == 2);
    await().atMost(WAIT).until(() -> get("web").getStatus().getAvailableReplicas() == 2);
  }

  @Test
  void scalingDownDeletesNotReadyPodsBeforeReadyOnes() {
    replicaSet("web", 3, 0);
    await().atMost(WAIT).until(() -> activePods().size() == 3);
    Pod keep = activePods().get(1);
    TestPods.markReady(k, keep, h.clock.now());
    await().atMost(WAIT).until(() -> get("web").getStatus().getReadyReplicas() == 1);
    k.apps().replicaSets().inNamespace("default").withName("web").scale(1);
    await().atMost(WAIT).until(() -> activePods().size() == 1);
    assertThat(activePods().get(0).getMetadata().getName()).isEqualTo(keep.getMetadata().getName());
    await()
        .atMost(WAIT)
        .until(
            () ->
                k.v1().events().inNamespace("default").list().getItems().stream()
                        .filter(e -> e.getReason().equals("SuccessfulDelete"))
                        .count()
                    == 2);
  }

  @Test
  void adoptsMatchingOrphansAndReleasesPodsThatStopMatching() {
    Pod orphan =
        k.pods()
            .inNamespace("default")
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName("orphan")
                    .withLabels(LABELS)
                    .endMetadata()
                    .withSpec(TestPods.template(LABELS, "nginx").getSpec())
                    .build())
            .create();
    ReplicaSet rs = replicaSet("web", 2, 0);
    await()
        .atMost(WAIT)
        .until(
            () ->
                Pods.controllerOf(k.pods().inNamespace("default").withName("orphan").get())
                    .map(r -> r.getUid().equals(rs.getMetadata().getUid()))
                    .orElse(false));
    await().atMost(WAIT).until(() -> activePods().size() == 2);
    assertThat(activePods())
        .extracting(p -> p.getMetadata().getName())
        .contains(orphan.getMetadata().getName());
    k.pods()
        .inNamespace("default")
        .withName("orphan")
        .edit(
            p ->
                new PodBuilder(p)
                    .editMetadata()
                    .withLabels(Map.of("app", "other"))
                    .endMetadata()
                    .build());
    await()
        .atMost(WAIT)
        .until(
            () ->
                Pods.controllerOf(k.pods().inNamespace("default").withName("orphan").get())
                    .isEmpty());
    await().atMost(WAIT).until(() -> activePods().size() == 2);
  }

  @Test
  void replicationControllersKeepTheirReplicasToo() {
    k.replicationControllers()
        .inNamespace("default")
        .resource(
            new ReplicationControllerBuilder()
                .withNewMetadata()
                .withName("legacy")
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withSelector(Map.of("app", "legacy"))
                .withTemplate(TestPods.template(Map.of("app", "legacy"), "nginx"))
                .endSpec()
                .build())
        .create();
    await()
        .atMost(WAIT)
        .until(
            () ->
                k.pods()
                        .inNamespace("default")
                        .withLabels(Map.of("app", "legacy"))
                        .list()
                        .getItems()
                        .size()
                    == 2);
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var rc = k.replicationControllers().inNamespace("default").withName("legacy").get();
              return rc.getStatus() != null && rc.getStatus().getReplicas() == 2;
            });
    Pod p =
        k.pods()
            .inNamespace("default")
            .withLabels(Map.of("app", "legacy"))
            .list()
            .getItems()
            .get(0);
    assertThat(Pods.controllerOf(p).orElseThrow().getKind()).isEqualTo("ReplicationController");
  }
}
