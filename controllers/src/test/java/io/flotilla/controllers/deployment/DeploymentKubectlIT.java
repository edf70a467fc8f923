package io.flotilla.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.flotilla.controllers.garbagecollector.GarbageCollector;
import io.flotilla.controllers.replicaset.ReplicaSetController;
import io.flotilla.controllers.runtime.Pods;
import io.flotilla.controllers.testsupport.ControllerHarness;
import io.flotilla.controllers.testsupport.Kubectl;
import io.flotilla.controllers.testsupport.PodReadier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubectl's rollout verbs and cascading deletes against the controllers and the real kubectl. */
class DeploymentKubectlIT {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private ControllerHarness h;
  private KubernetesClient k;
  private Kubectl kubectl;
  private PodReadier readier;
  @TempDir Path tmp;

  @BeforeEach
  void start() {
    h =
        new ControllerHarness(
            ControllerHarness.of(ReplicaSetController.NAME, ReplicaSetController::create),
            ControllerHarness.of(DeploymentController.NAME, DeploymentController::create),
            ControllerHarness.of(GarbageCollector.NAME, GarbageCollector::create));
    k = h.client;
    kubectl =
        new Kubectl(h.cluster.writeKubeconfig(tmp.resolve("kubeconfig")), tmp.resolve("home"));
    readier = new PodReadier(h.cluster.client(), h.clock::now);
  }

  @AfterEach
  void stop() {
    readier.close();
    h.close();
  }

  private void ok(String... args) throws Exception {
    Kubectl.Run r = kubectl.run(args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.out()).isZero();
  }

  private Deployment get(String name) {
    return k.apps().deployments().inNamespace("default").withName(name).get();
  }

  private String revision(String name) {
    return get(name).getMetadata().getAnnotations().get("deployment.kubernetes.io/revision");
  }

  private List<ReplicaSet> replicaSets(String app) {
    return k.apps()
        .replicaSets()
        .inNamespace("default")
        .withLabels(Map.of("app", app))
        .list()
        .getItems();
  }

  @Test
  void pauseResumeAndRestartBehaveAsUpstream() throws Exception {
    ok("create", "deployment", "web", "--image=nginx:1", "--replicas=2");
    ok("rollout", "status", "deployment/web", "--timeout=110s");
    ok("rollout", "pause", "deployment/web");
    ok("set", "image", "deployment/web", "nginx=nginx:2");
    await()
        .atMost(WAIT)
        .until(
            () ->
                get("web").getStatus().getObservedGeneration()
                    >= get("web").getMetadata().getGeneration());
    assertThat(replicaSets("web")).as("no rollout while paused").hasSize(1);
    ok("rollout", "resume", "deployment/web");
    ok("rollout", "status", "deployment/web", "--timeout=110s");
    assertThat(revision("web")).isEqualTo("2");
    ok("rollout", "restart", "deployment/web");
    ok("rollout", "status", "deployment/web", "--timeout=110s");
    await().atMost(WAIT).until(() -> "3".equals(revision("web")));
    assertThat(replicaSets("web")).hasSize(3);
  }

  @Test
  void deletingADeploymentCascadesUnlessOrphanedAndGoesLastInTheForeground() throws Exception {
    ok("create", "deployment", "bg", "--image=nginx:1", "--replicas=2");
    ok("rollout", "status", "deployment/bg", "--timeout=110s");
    ok("delete", "deployment", "bg");
    await()
        .atMost(WAIT)
        .until(
            () ->
                replicaSets("bg").isEmpty()
                    && k.pods()
                        .inNamespace("default")
                        .withLabels(Map.of("app", "bg"))
                        .list()
                        .getItems()
                        .isEmpty());

    ok("create", "deployment", "orph", "--image=nginx:1", "--replicas=2");
    ok("rollout", "status", "deployment/orph", "--timeout=110s");
    ok("delete", "deployment", "orph", "--cascade=orphan");
    await().atMost(WAIT).until(() -> get("orph") == null);
    assertThat(replicaSets("orph")).hasSize(1);
    assertThat(replicaSets("orph").get(0).getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(k.pods().inNamespace("default").withLabels(Map.of("app", "orph")).list().getItems())
        .hasSize(2);

    ok("create", "deployment", "fg", "--image=nginx:1", "--replicas=2");
    ok("rollout", "status", "deployment/fg", "--timeout=110s");
    List<String> gone = new CopyOnWriteArrayList<>();
    var watch =
        h.cluster
            .client()
            .apps()
            .deployments()
            .inNamespace("default")
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Deployment d) {}

                  @Override
                  public void onUpdate(Deployment o, Deployment d) {}

                  @Override
                  public void onDelete(Deployment d, boolean unknown) {
                    gone.add(d.getMetadata().getName());
                    // When the Deployment goes, its ReplicaSet and pods must already be gone.
                    if (!replicaSets("fg").isEmpty()) {
                      gone.add("replicasets still there");
                    }
                  }
                });
    ok("delete", "deployment", "fg", "--cascade=foreground", "--wait=false");
    await().atMost(WAIT).until(() -> gone.contains("fg"));
    watch.close();
    assertThat(gone).containsExactly("fg");
    assertThat(
            k
                .pods()
                .inNamespace("default")
                .withLabels(Map.of("app", "fg"))
                .list()
                .getItems()
                .stream()
                .filter(Pods::isActive))
        .isEmpty();
  }
}
