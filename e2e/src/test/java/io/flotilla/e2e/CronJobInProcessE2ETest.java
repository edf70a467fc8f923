package io.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.controllers.DefaultControllers;
import io.flotilla.controllers.runtime.ControllerManager;
import io.flotilla.controllers.runtime.ManualClock;
import io.flotilla.node.runtime.simulated.SimulatedAgent;
import io.flotilla.node.runtime.simulated.SimulatedNodeOptions;
import io.flotilla.testing.InProcessCluster;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * A CronJob fires on a driven clock. The real jar has no way to take a driven clock, so this one
 * runs in-process: the real apiserver ({@link InProcessCluster}), every default controller on a
 * {@link ManualClock}, and the simulated node agent running the Job's pod, which exits 0 after a
 * second (agent time).
 */
class CronJobInProcessE2ETest {
  @Test
  void aCronJobFiresWhenTheDrivenClockReachesItsScheduleAndItsJobCompletes() throws Exception {
    // The apiserver stamps creationTimestamp with its own clock, and upstream's CronJob controller
    // schedules nothing before it: start the driven clock at the real now.
    ManualClock clock = new ManualClock(Instant.now());
    try (InProcessCluster c = InProcessCluster.start();
        SimulatedAgent agent =
            SimulatedAgent.start(c.client(), SimulatedNodeOptions.defaults().withNodes(1));
        ControllerManager m =
            DefaultControllers.addTo(
                    ControllerManager.builder(c.client()).clock(clock).leaderElection(false))
                .build()) {
      m.start();
      KubernetesClient k = c.client();
      k.load(
              new java.io.ByteArrayInputStream(
                  """
                  apiVersion: batch/v1
                  kind: CronJob
                  metadata: {name: tick, namespace: default}
                  spec:
                    schedule: "* * * * *"
                    jobTemplate:
                      spec:
                        template:
                          metadata:
                            annotations: {simulated.flotilla.io/exit-after: 1s}
                          spec:
                            nodeName: sim-0
                            restartPolicy: Never
                            containers: [{name: c, image: busybox:1.36}]
                  """
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
          .create();
      Instant created = Instant.parse(cron(k).getMetadata().getCreationTimestamp());
      Instant due = created.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));

      // The driven clock stands before the next minute: nothing is due, however long we wait.
      await("no Job before " + due)
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(60))
          .until(() -> jobs(k).isEmpty());

      clock.advance(Duration.between(clock.now(), due).plusSeconds(1));
      await("a Job for " + due)
          .atMost(Duration.ofSeconds(120))
          .until(driven(clock, () -> jobs(k).size() == 1));
      Job job = jobs(k).getFirst();
      assertThat(job.getMetadata().getAnnotations())
          .containsEntry("batch.kubernetes.io/cronjob-scheduled-timestamp", due.toString());
      assertThat(job.getMetadata().getName()).isEqualTo("tick-" + due.getEpochSecond() / 60);
      assertThat(cron(k).getStatus().getLastScheduleTime()).isEqualTo(due.toString());

      await("the Job completes on the simulated node and the CronJob sees it")
          .atMost(Duration.ofSeconds(180))
          .until(
              driven(
                  clock,
                  () ->
                      cron(k).getStatus() != null
                          && cron(k).getStatus().getLastSuccessfulTime() != null));
      assertThat(jobs(k)).hasSize(1);
      assertThat(
              k.batch()
                  .v1()
                  .jobs()
                  .inNamespace("default")
                  .withName(job.getMetadata().getName())
                  .get()
                  .getStatus()
                  .getSucceeded())
          .isEqualTo(1);
    }
  }

  /** Polls {@code check}, moving the driven clock 100 ms per poll so rate-limited retries run. */
  private static Callable<Boolean> driven(ManualClock clock, Callable<Boolean> check) {
    return () -> {
      clock.advance(Duration.ofMillis(100));
      return check.call();
    };
  }

  private static List<Job> jobs(KubernetesClient k) {
    return k.batch().v1().jobs().inNamespace("default").list().getItems();
  }

  private static CronJob cron(KubernetesClient k) {
    return k.batch().v1().cronjobs().inNamespace("default").withName("tick").get();
  }
}
