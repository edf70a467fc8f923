package io.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl delete deployment} with the three propagation policies, against the real server
 * and simulated nodes: background removes ReplicaSets and pods, orphan leaves them (without owner),
 * foreground deletes the Deployment last. Each test uses its own Deployment name.
 */
class DeploymentDeletionE2ETest extends SimulatedClusterTest {

  DeploymentDeletionE2ETest() {
    super(2);
  }

  private void deployment(String name) {
    kubectl
        .runWithInput(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: %1$s
            spec:
              replicas: 3
              selector:
                matchLabels: {app: %1$s}
              template:
                metadata:
                  labels: {app: %1$s}
                spec:
                  containers:
                  - name: c
                    image: nginx:1.27
            """
                .formatted(name),
            "apply",
            "-f",
            "-")
        .assertOk();
    kubectl.run("rollout", "status", "deployment/" + name, "--timeout=300s").assertOk();
    assertThat(names("replicasets", name)).hasSize(1);
    assertThat(names("pods", name)).hasSize(3);
  }

  private List<String> names(String resource, String app) {
    return kubectl
        .run("get", resource, "-l", "app=" + app, "-o", "name")
        .assertOk()
        .stdout()
        .lines()
        .toList();
  }

  @Test
  void deletingADeploymentRemovesItsReplicaSetsAndPods() {
    deployment("bg");

    kubectl.run("delete", "deployment", "bg", "--timeout=300s").assertOk();

    await("ReplicaSets and pods of bg gone")
        .atMost(SimulatedCluster.WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> names("replicasets", "bg").isEmpty() && names("pods", "bg").isEmpty());
  }

  @Test
  void deletingWithCascadeOrphanLeavesReplicaSetsAndPodsWithoutOwner() {
    deployment("orphan");

    kubectl.run("delete", "deployment", "orphan", "--cascade=orphan", "--timeout=300s").assertOk();

    assertThat(kubectl.run("get", "deployment", "orphan").exitCode()).isNotZero();
    await("the ReplicaSet and its pods released")
        .atMost(SimulatedCluster.WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                cluster
                        .client()
                        .apps()
                        .replicaSets()
                        .inNamespace("default")
                        .withLabel("app", "orphan")
                        .list()
                        .getItems()
                        .stream()
                        .allMatch(rs -> rs.getMetadata().getOwnerReferences().isEmpty())
                    && cluster
                        .client()
                        .pods()
                        .inNamespace("default")
                        .withLabel("app", "orphan")
                        .list()
                        .getItems()
                        .stream()
                        .allMatch(p -> p.getMetadata().getOwnerReferences().size() == 1));
    // No empty list either: upstream drops ownerReferences when none is left.
    assertThat(
            kubectl
                .run(
                    "get",
                    "replicasets",
                    "-l",
                    "app=orphan",
                    "-o",
                    "jsonpath={.items[*].metadata.ownerReferences}")
                .stdout())
        .isEmpty();
    assertThat(names("replicasets", "orphan")).hasSize(1);
    assertThat(names("pods", "orphan")).hasSize(3);
    // They stay: the garbage collector has nothing to do with them any more.
    await("pods still there while the garbage collector has had its chance")
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(30))
        .until(() -> names("pods", "orphan").size() == 3);
  }

  @Test
  void deletingWithCascadeForegroundDeletesTheDeploymentLast() throws Exception {
    deployment("fg");
    // DELETED events of the three kinds, ordered by the resourceVersion of the deletion (one
    // revision counter for the whole store, as etcd's), not by which watch delivered first.
    Map<Long, String> deletions = new ConcurrentSkipListMap<>();
    AtomicBoolean sawFinalizer = new AtomicBoolean();
    List<Watch> watches =
        List.of(
            cluster
                .client()
                .apps()
                .deployments()
                .inNamespace("default")
                .withName("fg")
                .watch(recorder(deletions, sawFinalizer)),
            cluster
                .client()
                .apps()
                .replicaSets()
                .inNamespace("default")
                .withLabel("app", "fg")
                .watch(recorder(deletions, sawFinalizer)),
            cluster
                .client()
                .pods()
                .inNamespace("default")
                .withLabel("app", "fg")
                .watch(recorder(deletions, sawFinalizer)));
    try {
      kubectl.run("delete", "deployment", "fg", "--cascade=foreground", "--wait=false").assertOk();

      await("the Deployment, its ReplicaSet and its 3 pods deleted")
          .atMost(SimulatedCluster.WAIT)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> deletions.size() == 5);
    } finally {
      watches.forEach(Watch::close);
    }

    List<String> order = List.copyOf(deletions.values());
    assertThat(sawFinalizer).as("Deployment seen deleting with foregroundDeletion").isTrue();
    assertThat(order).filteredOn(d -> d.startsWith("ReplicaSet/")).hasSize(1);
    assertThat(order).filteredOn(d -> d.startsWith("Pod/")).hasSize(3);
    assertThat(order.getLast()).as("order of deletions: %s", order).isEqualTo("Deployment/fg");
    assertThat(names("replicasets", "fg")).isEmpty();
    assertThat(names("pods", "fg")).isEmpty();
  }

  private static <T extends HasMetadata> Watcher<T> recorder(
      Map<Long, String> deletions, AtomicBoolean sawFinalizer) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        ObjectMeta m = resource.getMetadata();
        if (action == Action.DELETED) {
          deletions.put(
              Long.parseLong(m.getResourceVersion()), resource.getKind() + "/" + m.getName());
        } else if (resource.getKind().equals("Deployment")
            && m.getDeletionTimestamp() != null
            && m.getFinalizers().contains("foregroundDeletion")) {
          sawFinalizer.set(true);
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }
}
