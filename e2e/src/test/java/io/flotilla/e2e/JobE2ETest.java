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
import org.junit.jupiter.api.Test;

/**
 * A Job of 5 completions, 2 at a time, whose simulated pods exit 0 after a second: it completes,
 * and a pod watch never sees more than 2 running at once.
 */
class JobE2ETest extends SimulatedClusterTest {

  JobE2ETest() {
    super(2);
  }

  @Test
  void aJobOfFiveCompletionsTwoAtATimeCompletesWithPodsThatExit() {
    Map<String, Pod> pods = new ConcurrentHashMap<>();
    AtomicInteger maxActive = new AtomicInteger();
    Watch watch =
        cluster
            .client()
            .pods()
            .inNamespace("default")
            .withLabel("job-name", "batch")
            .watch(
                new Watcher<>() {
                  @Override
                  public synchronized void eventReceived(Action action, Pod pod) {
                    if (action == Action.DELETED) {
                      pods.remove(pod.getMetadata().getName());
                    } else {
                      pods.put(pod.getMetadata().getName(), pod);
                    }
                    int active =
                        (int)
                            pods.values().stream()
                                .filter(
                                    p ->
                                        p.getMetadata().getDeletionTimestamp() == null
                                            && !terminal(p))
                                .count();
                    maxActive.accumulateAndGet(active, Math::max);
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    try {
      kubectl
          .runWithInput(
              """
              apiVersion: batch/v1
              kind: Job
              metadata: {name: batch}
              spec:
                completions: 5
                parallelism: 2
                template:
                  metadata:
                    annotations: {simulated.flotilla.io/exit-after: 1s}
                  spec:
                    restartPolicy: Never
                    containers: [{name: c, image: busybox:1.36, command: [sh, -c, "sleep 1"]}]
              """,
              "apply",
              "-f",
              "-")
          .assertOk();

      kubectl.run("wait", "--for=condition=complete", "job/batch", "--timeout=300s").assertOk();
      await("the watch saw the 5 pods succeed")
          .atMost(SimulatedCluster.WAIT)
          .until(
              () ->
                  pods.values().stream()
                          .filter(p -> "Succeeded".equals(p.getStatus().getPhase()))
                          .count()
                      == 5);
    } finally {
      watch.close();
    }

    assertThat(
            kubectl
                .run("get", "job", "batch", "-o", "jsonpath={.status.succeeded}")
                .assertOk()
                .stdout())
        .isEqualTo("5");
    assertThat(maxActive.get()).as("most pods running at once").isBetween(1, 2);
    assertThat(kubectl.run("get", "pods", "-l", "job-name=batch", "-o", "name").stdout().lines())
        .hasSize(5);
  }

  private static boolean terminal(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }
}
