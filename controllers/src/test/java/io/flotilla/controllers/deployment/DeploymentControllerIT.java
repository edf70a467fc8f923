package io.flotilla.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.flotilla.controllers.replicaset.ReplicaSetController;
import io.flotilla.controllers.runtime.Pods;
import io.flotilla.controllers.testsupport.ControllerHarness;
import io.flotilla.controllers.testsupport.Kubectl;
import io.flotilla.controllers.testsupport.PodReadier;
import io.flotilla.controllers.testsupport.TestPods;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentControllerIT {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Map<String, String> LABELS = Map.of("app", "web");
  private ControllerHarness h;
  private KubernetesClient k;
  @TempDir Path tmp;

  @BeforeEach
  void start() {
    h =
        new ControllerHarness(
            ControllerHarness.of(ReplicaSetController.NAME, ReplicaSetController::create),
            ControllerHarness.of(DeploymentController.NAME, DeploymentController::create));
    k = h.client;
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private Deployment deployment(
      String name, int replicas, String image, DeploymentBuilderHook hook) {
    DeploymentBuilder b =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withReplicas(replicas)
            .withNewSelector()
            .withMatchLabels(LABELS)
            .endSelector()
            .withTemplate(TestPods.template(LABELS, image))
            .endSpec();
    return k.apps().deployments().inNamespace("default").resource(hook.apply(b).build()).create();
  }

  interface DeploymentBuilderHook {
    DeploymentBuilder apply(DeploymentBuilder b);
  }

  private Deployment get(String name) {
    return k.apps().deployments().inNamespace("default").withName(name).get();
  }

  private List<ReplicaSet> replicaSets() {
    return k.apps().replicaSets().inNamespace("default").list().getItems();
  }

  private static String condition(Deployment d, String type) {
    if (d.getStatus() == null || d.getStatus().getConditions() == null) {
      return null;
    }
    return d.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .map(c -> c.getStatus() + "/" + c.getReason())
        .findFirst()
        .orElse(null);
  }

  private void setImage(String name, String image) {
    patch(
        name,
        PatchType.STRATEGIC_MERGE,
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\""
            + image
            + "\"}]}}}}");
  }

  /** A patch without a resourceVersion, as kubectl sends, so status writes do not conflict. */
  private void patch(String name, PatchType type, String body) {
    k.apps().deployments().inNamespace("default").withName(name).patch(PatchContext.of(type), body);
  }

  private boolean complete(String name) {
    Deployment d = get(name);
    return d.getStatus() != null
        && d.getStatus().getObservedGeneration() != null
        && d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration()
        && "True/NewReplicaSetAvailable".equals(condition(d, "Progressing"))
        && Integer.valueOf(d.getSpec().getReplicas()).equals(d.getStatus().getAvailableReplicas())
        && Integer.valueOf(d.getSpec().getReplicas()).equals(d.getStatus().getUpdatedReplicas())
        && Integer.valueOf(d.getSpec().getReplicas()).equals(d.getStatus().getReplicas());
  }

  @Test
  void rollsOutRollsAnUpdateWithinSurgeAndUnavailabilityAndRollsBackWithKubectl() throws Exception {
    Kubectl kubectl =
        new Kubectl(h.cluster.writeKubeconfig(tmp.resolve("kubeconfig")), tmp.resolve("home"));
    try (PodReadier readier = new PodReadier(h.cluster.client(), h.clock::now)) {
      deployment(
          "web",
          10,
          "nginx:1",
          b ->
              b.editSpec()
                  .withNewStrategy()
                  .withType("RollingUpdate")
                  .withNewRollingUpdate()
                  .withMaxSurge(new IntOrString("25%"))
                  .withMaxUnavailable(new IntOrString("25%"))
                  .endRollingUpdate()
                  .endStrategy()
                  .endSpec());
      var status = kubectl.run("rollout", "status", "deployment/web", "--timeout=110s");
      assertThat(status.exit()).as(status.out()).isZero();
      assertThat(status.out()).contains("successfully rolled out");
      await().atMost(WAIT).until(() -> complete("web"));
      Deployment d = get("web");
      assertThat(condition(d, "Available")).isEqualTo("True/MinimumReplicasAvailable");
      assertThat(d.getMetadata().getAnnotations())
          .containsEntry("deployment.kubernetes.io/revision", "1");
      ReplicaSet first = replicaSets().get(0);
      String hash = first.getMetadata().getLabels().get("pod-template-hash");
      assertThat(first.getMetadata().getName()).isEqualTo("web-" + hash);
      assertThat(first.getSpec().getTemplate().getMetadata().getLabels())
          .containsEntry("pod-template-hash", hash);

      // Watch every ReplicaSet state during the update: surge 3 (25% of 10 up), unavailable 2
      // (down).
      AtomicInteger maxTotal = new AtomicInteger();
      var informer =
          h.cluster
              .client()
              .apps()
              .replicaSets()
              .inNamespace("default")
              .inform(
                  new ResourceEventHandler<>() {
                    final Map<String, Integer> sizes = new ConcurrentHashMap<>();

                    private void seen(ReplicaSet rs) {
                      sizes.put(rs.getMetadata().getName(), rs.getSpec().getReplicas());
                      maxTotal.accumulateAndGet(
                          sizes.values().stream().mapToInt(Integer::intValue).sum(), Math::max);
                    }

                    @Override
                    public void onAdd(ReplicaSet rs) {
                      seen(rs);
                    }

                    @Override
                    public void onUpdate(ReplicaSet o, ReplicaSet rs) {
                      seen(rs);
                    }

                    @Override
                    public void onDelete(ReplicaSet rs, boolean unknown) {
                      sizes.remove(rs.getMetadata().getName());
                    }
                  });
      setImage("web", "nginx:2");
      status = kubectl.run("rollout", "status", "deployment/web", "--timeout=110s");
      assertThat(status.exit()).as(status.out()).isZero();
      await().atMost(WAIT).until(() -> complete("web"));
      informer.close();
      assertThat(maxTotal.get()).as("replicas + maxSurge").isLessThanOrEqualTo(13);
      assertThat(get("web").getMetadata().getAnnotations())
          .containsEntry("deployment.kubernetes.io/revision", "2");
      assertThat(replicaSets()).hasSize(2);

      var history = kubectl.run("rollout", "history", "deployment/web");
      assertThat(history.exit()).as(history.out()).isZero();
      assertThat(history.out()).containsPattern("(?m)^1\\s").containsPattern("(?m)^2\\s");

      var undo = kubectl.run("rollout", "undo", "deployment/web");
      assertThat(undo.exit()).as(undo.out()).isZero();
      await()
          .atMost(WAIT)
          .until(
              () ->
                  get("web")
                          .getSpec()
                          .getTemplate()
                          .getSpec()
                          .getContainers()
                          .get(0)
                          .getImage()
                          .equals("nginx:1")
                      && complete("web"));
      ReplicaSet back =
          k.apps()
              .replicaSets()
              .inNamespace("default")
              .withName(first.getMetadata().getName())
              .get();
      assertThat(back.getMetadata().getAnnotations())
          .containsEntry("deployment.kubernetes.io/revision", "3")
          .containsEntry("deployment.kubernetes.io/revision-history", "1");
      assertThat(back.getSpec().getReplicas()).isEqualTo(10);
      await()
          .atMost(WAIT)
          .until(
              () ->
                  k.v1().events().inNamespace("default").list().getItems().stream()
                      .anyMatch(
                          e ->
                              e.getReason().equals("ScalingReplicaSet")
                                  && e.getMessage()
                                      .equals(
                                          "Scaled up replica set "
                                              + first.getMetadata().getName()
                                              + " from 0 to 10")));
    }
  }

  @Test
  void recreateScalesTheOldReplicaSetToZeroBeforeTheNewOneGrows() {
    try (PodReadier readier = new PodReadier(h.cluster.client(), h.clock::now)) {
      deployment(
          "web",
          3,
          "nginx:1",
          b -> b.editSpec().withNewStrategy().withType("Recreate").endStrategy().endSpec());
      await().atMost(WAIT).until(() -> complete("web"));
      setImage("web", "nginx:2");
      await()
          .atMost(WAIT)
          .until(
              () ->
                  complete("web")
                      && get("web")
                          .getMetadata()
                          .getAnnotations()
                          .get("deployment.kubernetes.io/revision")
                          .equals("2"));
      var events =
          k.v1().events().inNamespace("default").list().getItems().stream()
              .filter(e -> e.getReason().equals("ScalingReplicaSet"))
              .map(e -> e.getMessage())
              .toList();
      assertThat(events)
          .anyMatch(m -> m.startsWith("Scaled down replica set web-") && m.endsWith("from 3 to 0"));
      assertThat(
              k.pods().inNamespace("default").list().getItems().stream()
                  .filter(Pods::isActive)
                  .map(p -> p.getSpec().getContainers().get(0).getImage())
                  .distinct()
                  .toList())
          .containsExactly("nginx:2");
    }
  }

  @Test
  void aDeploymentWhosePodsNeverBecomeReadyExceedsItsProgressDeadline() {
    deployment("stuck", 2, "nginx:1", b -> b.editSpec().withProgressDeadlineSeconds(2).endSpec());
    await()
        .atMost(WAIT)
        .until(
            () -> "False/ProgressDeadlineExceeded".equals(condition(get("stuck"), "Progressing")));
    Deployment d = get("stuck");
    assertThat(condition(d, "Available")).isEqualTo("False/MinimumReplicasUnavailable");
    assertThat(d.getStatus().getUnavailableReplicas()).isEqualTo(2);
    var status =
        d.getStatus().getConditions().stream()
            .filter(c -> c.getType().equals("Progressing"))
            .findFirst()
            .orElseThrow();
    assertThat(status.getMessage())
        .isEqualTo(
            "ReplicaSet \""
                + replicaSets().get(0).getMetadata().getName()
                + "\" has timed out progressing.");
  }

  @Test
  void aPausedDeploymentScalesButDoesNotRollOutAndKeepsOnlyItsRevisionHistoryLimit() {
    try (PodReadier readier = new PodReadier(h.cluster.client(), h.clock::now)) {
      deployment("web", 2, "nginx:1", b -> b.editSpec().withRevisionHistoryLimit(1).endSpec());
      await().atMost(WAIT).until(() -> complete("web"));
      patch("web", PatchType.JSON_MERGE, "{\"spec\":{\"paused\":true}}");
      await()
          .atMost(WAIT)
          .until(() -> "Unknown/DeploymentPaused".equals(condition(get("web"), "Progressing")));
      setImage("web", "nginx:2");
      patch("web", PatchType.JSON_MERGE, "{\"spec\":{\"replicas\":4}}");
      await()
          .atMost(WAIT)
          .until(
              () -> replicaSets().size() == 1 && replicaSets().get(0).getSpec().getReplicas() == 4);
      patch("web", PatchType.JSON_MERGE, "{\"spec\":{\"paused\":false}}");
      await()
          .atMost(WAIT)
          .until(
              () ->
                  complete("web")
                      && "2"
                          .equals(
                              get("web")
                                  .getMetadata()
                                  .getAnnotations()
                                  .get("deployment.kubernetes.io/revision")));
      setImage("web", "nginx:3");
      await()
          .atMost(WAIT)
          .until(
              () ->
                  complete("web")
                      && "3"
                          .equals(
                              get("web")
                                  .getMetadata()
                                  .getAnnotations()
                                  .get("deployment.kubernetes.io/revision")));
      await().atMost(WAIT).until(() -> replicaSets().size() == 2);
      assertThat(replicaSets())
          .extracting(rs -> rs.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
          .containsExactlyInAnyOrder("nginx:2", "nginx:3");
    }
  }
}
