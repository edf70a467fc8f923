package io.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A simulated node whose heartbeats stop: after the node monitor grace period (40 s, upstream's
 * default; the server has no flag for it) the node lifecycle controller marks it Unknown and taints
 * it unreachable, evicts its pods once their own {@code tolerationSeconds: 5} pass, and their
 * Deployment replaces them on the other nodes.
 */
class NodeEvictionE2ETest extends SimulatedClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(300);

  NodeEvictionE2ETest() {
    super(3);
  }

  @Test
  void stoppingAHeartbeatEvictsThePodsAndTheDeploymentReplacesThemElsewhere() {
    kubectl
        .runWithInput(
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 6
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  tolerations:
                  - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute,
                     tolerationSeconds: 5}
                  - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute,
                     tolerationSeconds: 5}
                  containers: [{name: c, image: nginx:1.27}]
            """,
            "apply",
            "-f",
            "-")
        .assertOk();
    kubectl.run("rollout", "status", "deployment/web", "--timeout=300s").assertOk();
    String victim = livePods().getFirst().getSpec().getNodeName();
    List<String> onVictim =
        livePods().stream()
            .filter(p -> victim.equals(p.getSpec().getNodeName()))
            .map(p -> p.getMetadata().getName())
            .toList();
    assertThat(onVictim).isNotEmpty();

    kubectl.run("annotate", "node", victim, "simulated.flotilla.io/heartbeat=stopped").assertOk();

    await(victim + " Unknown and tainted unreachable")
        .atMost(WAIT)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                kubectl
                    .run(
                        "get",
                        "node",
                        victim,
                        "-o",
                        "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"
                            + " {.spec.taints[*].key}")
                    .stdout()
                    .matches("Unknown .*node.kubernetes.io/unreachable.*"));
    try {
      await("6 Ready replicas, none on " + victim + ", the evicted pods gone or terminating")
          .atMost(WAIT)
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                List<Pod> live = livePods();
                return live.size() == 6
                    && live.stream().noneMatch(p -> victim.equals(p.getSpec().getNodeName()))
                    && live.stream().allMatch(NodeEvictionE2ETest::ready)
                    && live.stream().noneMatch(p -> onVictim.contains(p.getMetadata().getName()));
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          kubectl.run("get", "pods", "-o", "wide").stdout()
              + kubectl.run("describe", "node", victim).stdout()
              + cluster.logs(),
          e);
    }
    assertThat(
            kubectl
                .run("get", "deployment", "web", "-o", "jsonpath={.status.availableReplicas}")
                .stdout())
        .isEqualTo("6");
  }

  /** The Deployment's pods that are not being deleted. */
  private List<Pod> livePods() {
    return cluster
        .client()
        .pods()
        .inNamespace("default")
        .withLabel("app", "web")
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  private static boolean ready(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }
}
