package io.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A DaemonSet follows simulated nodes as a second agent adds them and they are removed again,
 * against the real server, driven by kubectl.
 */
class DaemonSetE2ETest extends SimulatedClusterTest {

  DaemonSetE2ETest() {
    super(2);
  }

  @Test
  void aDaemonSetRunsOnePodPerNodeAsNodesComeAndGo() throws Exception {
    kubectl
        .runWithInput(
            """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent}
            spec:
              selector: {matchLabels: {app: agent}}
              template:
                metadata: {labels: {app: agent}}
                spec:
                  containers: [{name: c, image: fluentd:v1}]
            """,
            "apply",
            "-f",
            "-")
        .assertOk();
    awaitPodsOn(List.of("sim-0", "sim-1"));

    cluster.startAgent("extra-", 2);
    awaitPodsOn(List.of("extra-0", "extra-1", "sim-0", "sim-1"));
    kubectl.run("rollout", "status", "daemonset/agent", "--timeout=300s").assertOk();

    cluster.stopAgent("extra-");
    kubectl.run("delete", "node", "extra-0", "extra-1").assertOk();
    awaitPodsOn(List.of("sim-0", "sim-1"));
    await("DaemonSet status counts 2 nodes")
        .atMost(SimulatedCluster.WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                kubectl
                    .run(
                        "get",
                        "daemonset",
                        "agent",
                        "-o",
                        "jsonpath={.status.desiredNumberScheduled} {.status.numberReady}")
                    .stdout()
                    .equals("2 2"));
  }

  /** Waits until the DaemonSet's running pods are exactly one on each of {@code nodes}. */
  private void awaitPodsOn(List<String> nodes) {
    String[] last = {""};
    try {
      await("one running agent pod on each of " + nodes)
          .atMost(SimulatedCluster.WAIT)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                last[0] =
                    kubectl
                        .run(
                            "get",
                            "pods",
                            "-l",
                            "app=agent",
                            "-o",
                            "jsonpath={range .items[*]}{.spec.nodeName} {.status.phase}"
                                + " {.metadata.deletionTimestamp}{\"\\n\"}{end}")
                        .stdout();
                List<String> running =
                    last[0]
                        .lines()
                        .map(String::trim)
                        .filter(l -> l.endsWith(" Running"))
                        .map(l -> l.substring(0, l.indexOf(' ')))
                        .sorted()
                        .toList();
                return running.equals(nodes) && last[0].lines().count() == nodes.size();
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("agent pods: " + last[0] + "\n" + cluster.logs(), e);
    }
    assertThat(last[0].lines()).hasSize(nodes.size());
  }
}
