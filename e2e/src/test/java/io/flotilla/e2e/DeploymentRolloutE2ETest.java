package io.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A 10-replica Deployment on simulated nodes, driven by the real kubectl: rollout status, set image
 * under a pod watch checking maxSurge and maxUnavailable, rollout history and undo. The tests run
 * in order on one Deployment.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeploymentRolloutE2ETest extends SimulatedClusterTest {
  private static final int REPLICAS = 10;
  private static final int MAX_SURGE = 3;
  private static final int MAX_UNAVAILABLE = 2;

  DeploymentRolloutE2ETest() {
    super(3);
  }

  @Test
  @Order(1)
  void rolloutStatusSucceedsForATenReplicaDeployment() {
    kubectl
        .runWithInput(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              annotations:
                kubernetes.io/change-cause: first
            spec:
              replicas: %d
              strategy:
                type: RollingUpdate
                rollingUpdate:
                  maxSurge: %d
                  maxUnavailable: %d
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                  annotations:
                    simulated.flotilla.io/ready-after: 1s
                spec:
                  containers:
                  - name: web
                    image: nginx:1.26
            """
                .formatted(REPLICAS, MAX_SURGE, MAX_UNAVAILABLE),
            "apply",
            "-f",
            "-")
        .assertOk();

    Kubectl.Result status =
        kubectl.run("rollout", "status", "deployment/web", "--timeout=300s").assertOk();

    assertThat(status.stdout()).contains("successfully rolled out");
    assertThat(
            kubectl
                .run("get", "deployment", "web", "-o", "jsonpath={.status.availableReplicas}")
                .assertOk()
                .stdout())
        .isEqualTo(String.valueOf(REPLICAS));
  }

  @Test
  @Order(2)
  void setImageRollsOutWithoutExceedingMaxSurgeOrMaxUnavailable() throws Exception {
    Map<String, Pod> pods = new ConcurrentHashMap<>();
    AtomicInteger maxActive = new AtomicInteger();
    AtomicInteger minAvailable = new AtomicInteger(Integer.MAX_VALUE);
    AtomicInteger events = new AtomicInteger();
    AtomicReference<String> worst = new AtomicReference<>("");
    var list = cluster.client().pods().inNamespace("default").withLabel("app", "web").list();
    list.getItems().forEach(p -> pods.put(p.getMetadata().getName(), p));
    assertThat(pods).hasSize(REPLICAS);
    Watch watch =
        cluster
            .client()
            .pods()
            .inNamespace("default")
            .withLabel("app", "web")
            .withResourceVersion(list.getMetadata().getResourceVersion())
            .watch(
                new Watcher<>() {
                  @Override
                  public synchronized void eventReceived(Action action, Pod pod) {
                    if (action == Action.DELETED) {
                      pods.remove(pod.getMetadata().getName());
                    } else {
                      pods.put(pod.getMetadata().getName(), pod);
                    }
                    events.incrementAndGet();
                    int active = (int) pods.values().stream().filter(p -> active(p)).count();
                    int available =
                        (int) pods.values().stream().filter(p -> active(p) && ready(p)).count();
                    if (active > maxActive.get() || available < minAvailable.get()) {
                      worst.set(action + " " + pod.getMetadata().getName() + ": " + summary(pods));
                    }
                    maxActive.accumulateAndGet(active, Math::max);
                    minAvailable.accumulateAndGet(available, Math::min);
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    try {
      kubectl.run("set", "image", "deployment/web", "web=nginx:1.27").assertOk();
      // After the change, as upstream's docs do: the controller copies the Deployment's
      // annotations to whichever ReplicaSet is new when it sees them.
      kubectl
          .run("annotate", "deployment", "web", "kubernetes.io/change-cause=second", "--overwrite")
          .assertOk();
      kubectl.run("rollout", "status", "deployment/web", "--timeout=300s").assertOk();
      await("old pods gone")
          .atMost(SimulatedCluster.WAIT)
          .until(
              () ->
                  pods.size() == REPLICAS
                      && pods.values().stream()
                          .allMatch(p -> image(p).equals("nginx:1.27") && ready(p)));
    } finally {
      watch.close();
    }

    assertThat(events.get()).as("pod events seen during the rollout").isGreaterThan(REPLICAS);
    assertThat(maxActive.get())
        .as("most pods not terminating at once (maxSurge %d); at worst: %s", MAX_SURGE, worst)
        .isLessThanOrEqualTo(REPLICAS + MAX_SURGE);
    assertThat(minAvailable.get())
        .as("fewest ready pods (maxUnavailable %d); at worst: %s", MAX_UNAVAILABLE, worst)
        .isGreaterThanOrEqualTo(REPLICAS - MAX_UNAVAILABLE);
  }

  @Test
  @Order(3)
  void rolloutHistoryListsBothRevisions() {
    Kubectl.Result history = kubectl.run("rollout", "history", "deployment/web").assertOk();

    assertThat(history.stdout())
        .containsPattern("(?m)^1\\s+first\\s*$")
        .containsPattern("(?m)^2\\s+second\\s*$");
    assertThat(
            kubectl.run("rollout", "history", "deployment/web", "--revision=1").assertOk().stdout())
        .contains("nginx:1.26");
  }

  @Test
  @Order(4)
  void rolloutUndoRestoresThePreviousTemplate() {
    kubectl.run("rollout", "undo", "deployment/web").assertOk();
    kubectl.run("rollout", "status", "deployment/web", "--timeout=300s").assertOk();

    assertThat(
            kubectl
                .run(
                    "get",
                    "deployment",
                    "web",
                    "-o",
                    "jsonpath={.spec.template.spec.containers[0].image}")
                .assertOk()
                .stdout())
        .isEqualTo("nginx:1.26");
    await("every pod back on nginx:1.26")
        .atMost(SimulatedCluster.WAIT)
        .until(
            () -> {
              String images =
                  kubectl
                      .run(
                          "get",
                          "pods",
                          "-l",
                          "app=web",
                          "-o",
                          "jsonpath={range .items[*]}{.spec.containers[0].image}{\"\\n\"}{end}")
                      .stdout();
              return images.lines().count() == REPLICAS
                  && images.lines().allMatch(l -> l.equals("nginx:1.26"));
            });
    // The restored template is revision 3; revision 1 is gone from the history, as upstream.
    assertThat(kubectl.run("rollout", "history", "deployment/web").assertOk().stdout())
        .containsPattern("(?m)^2\\s+second\\s*$")
        .containsPattern("(?m)^3\\s+")
        .doesNotContainPattern("(?m)^1\\s+");
  }

  private static boolean active(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return p.getMetadata().getDeletionTimestamp() == null
        && !"Succeeded".equals(phase)
        && !"Failed".equals(phase);
  }

  private static boolean ready(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  private static String image(Pod p) {
    return p.getSpec().getContainers().getFirst().getImage();
  }

  private static String summary(Map<String, Pod> pods) {
    StringBuilder s = new StringBuilder();
    pods.values()
        .forEach(
            p ->
                s.append(p.getMetadata().getName())
                    .append(active(p) ? "" : "(terminating)")
                    .append(ready(p) ? "(ready)" : "")
                    .append(' '));
    return s.toString();
  }
}
