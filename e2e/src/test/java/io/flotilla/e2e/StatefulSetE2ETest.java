package io.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A StatefulSet (OrderedReady, a volumeClaimTemplate) scaled 0 → 3 → 1 with {@code kubectl scale}:
 * pods come up one at a time in ordinal order, each after its predecessor is Ready, with their
 * PVCs; they go in reverse order; the PVCs stay (Retain).
 */
class StatefulSetE2ETest extends SimulatedClusterTest {

  StatefulSetE2ETest() {
    super(2);
  }

  @Test
  void scalesZeroToThreeToOneInOrderWithItsClaims() throws Exception {
    kubectl
        .runWithInput(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: db}
            spec:
              clusterIP: None
              selector: {app: db}
              ports: [{port: 5432}]
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db}
            spec:
              serviceName: db
              replicas: 0
              selector: {matchLabels: {app: db}}
              template:
                metadata:
                  labels: {app: db}
                  annotations: {simulated.flotilla.io/ready-after: 1s}
                spec:
                  containers:
                  - name: c
                    image: postgres:17
                    volumeMounts: [{name: data, mountPath: /data}]
              volumeClaimTemplates:
              - metadata: {name: data}
                spec:
                  accessModes: [ReadWriteOnce]
                  resources: {requests: {storage: 1Gi}}
            """,
            "apply",
            "-f",
            "-")
        .assertOk();
    // What each ADDED and DELETED event found: the pod's name and which pods were Ready then.
    List<String> added = new CopyOnWriteArrayList<>();
    List<String> deleted = new CopyOnWriteArrayList<>();
    List<String> violations = new CopyOnWriteArrayList<>();
    Map<String, Pod> pods = new ConcurrentHashMap<>();
    Watch watch =
        cluster
            .client()
            .pods()
            .inNamespace("default")
            .withLabel("app", "db")
            .watch(
                new Watcher<>() {
                  @Override
                  public synchronized void eventReceived(Action action, Pod pod) {
                    String name = pod.getMetadata().getName();
                    int ordinal = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
                    if (action == Action.ADDED) {
                      added.add(name);
                      for (int i = 0; i < ordinal; i++) {
                        Pod before = pods.get("db-" + i);
                        if (before == null || !ready(before)) {
                          violations.add(name + " created before db-" + i + " was Ready");
                        }
                      }
                    }
                    if (action == Action.DELETED) {
                      deleted.add(name);
                      pods.remove(name);
                    } else {
                      if (pod.getMetadata().getDeletionTimestamp() != null
                          && pods.keySet().stream()
                              .anyMatch(
                                  n ->
                                      Integer.parseInt(n.substring(n.lastIndexOf('-') + 1))
                                          > ordinal)) {
                        violations.add(name + " deleting while a higher ordinal exists");
                      }
                      pods.put(name, pod);
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    try {
      kubectl.run("scale", "statefulset", "db", "--replicas=3").assertOk();
      kubectl.run("rollout", "status", "statefulset/db", "--timeout=300s").assertOk();
      await("3 Ready pods")
          .atMost(SimulatedCluster.WAIT)
          .until(
              () -> pods.size() == 3 && pods.values().stream().allMatch(StatefulSetE2ETest::ready));
      assertThat(claims()).containsExactly("data-db-0", "data-db-1", "data-db-2");

      kubectl.run("scale", "statefulset", "db", "--replicas=1").assertOk();
      await("only db-0 left")
          .atMost(SimulatedCluster.WAIT)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> deleted.size() == 2 && pods.keySet().equals(java.util.Set.of("db-0")));
    } finally {
      watch.close();
    }

    assertThat(added).containsExactly("db-0", "db-1", "db-2");
    assertThat(deleted).containsExactly("db-2", "db-1");
    assertThat(violations).isEmpty();
    assertThat(claims())
        .as("claims retained")
        .containsExactly("data-db-0", "data-db-1", "data-db-2");
    assertThat(
            kubectl
                .run(
                    "get",
                    "pod",
                    "db-0",
                    "-o",
                    "jsonpath={.spec.volumes[0].persistentVolumeClaim.claimName}")
                .assertOk()
                .stdout())
        .isEqualTo("data-db-0");
  }

  private List<String> claims() {
    return kubectl
        .run("get", "pvc", "-o", "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}")
        .assertOk()
        .stdout()
        .lines()
        .sorted()
        .toList();
  }

  private static boolean ready(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }
}
