package io.flotilla.controllers.cronjob;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.flotilla.controllers.testsupport.ClockedHarness;
import io.flotilla.controllers.testsupport.ControllerHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class CronJobControllerIT {
  private static final Duration LONG = Duration.ofSeconds(60);

  static ClockedHarness harness() {
    return ClockedHarness.manual(
        ControllerHarness.of(CronJobController.NAME, CronJobController::create));
  }

  static CronJob cron(String name, String schedule, UnaryOperator<CronJobBuilder> more) {
    CronJobBuilder b =
        new CronJobBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .withSchedule(schedule)
            .withNewJobTemplate()
            .withNewMetadata()
            .addToLabels("team", "a")
            .endMetadata()
            .withNewSpec()
            .withNewTemplate()
            .withNewSpec()
            .withRestartPolicy("Never")
            .addNewContainer()
            .withName("c")
            .withImage("busybox")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .endJobTemplate()
            .endSpec();
    return more.apply(b).build();
  }

  static List<Job> jobs(ClockedHarness h) {
    return h.client.batch().v1().jobs().inNamespace("default").list().getItems().stream()
        .filter(j -> j.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  static CronJob get(ClockedHarness h, String name) {
    return h.client.batch().v1().cronjobs().inNamespace("default").withName(name).get();
  }

  /** Advances the manual clock to just past the next whole minute. */
  static Instant nextMinute(ClockedHarness h) {
    Instant now = h.clock.now();
    Instant at = now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plusSeconds(60);
    h.manualClock().advance(Duration.between(now, at).plusMillis(500));
    return at;
  }

  static void complete(ClockedHarness h, Job j, String type) {
    String now = h.clock.now().toString();
    Job fresh =
        h.client
            .batch()
            .v1()
            .jobs()
            .inNamespace("default")
            .withName(j.getMetadata().getName())
            .get();
    Job done =
        new JobBuilder(fresh)
            .editOrNewStatus()
            .withStartTime(now)
            .withCompletionTime("Complete".equals(type) ? now : null)
            .withConditions(new JobConditionBuilder().withType(type).withStatus("True").build())
            .endStatus()
            .build();
    h.retry(
        () -> h.client.batch().v1().jobs().inNamespace("default").resource(done).updateStatus());
  }

  @Test
  void firesOnTheDrivenClockAndRecordsTheRun() {
    try (ClockedHarness h = harness()) {
      h.client.batch().v1().cronjobs().resource(cron("tick", "* * * * *", b -> b)).create();
      h.until(() -> h.manualClock().pending() > 0 || !jobs(h).isEmpty());
      assertThat(jobs(h)).isEmpty();
      Instant first = nextMinute(h);
      // Under load the controller may see the CronJob only after the clock passed that minute; it
      // then waits for the next one, so whole minutes go by until the Job appears.
      int[] emptyPolls = {0};
      h.until(
          () -> {
            // ~10 s without a Job is not a create in flight: the minute went by unseen.
            if (jobs(h).isEmpty() && ++emptyPolls[0] % 100 == 0) {
              nextMinute(h);
            }
            return jobs(h).size() == 1;
          });
      Job job = jobs(h).getFirst();
      Instant at =
          Instant.parse(job.getMetadata().getAnnotations().get(CronJobSync.SCHEDULED_ANNOTATION));
      assertThat(at).isAfterOrEqualTo(first);
      assertThat(at.getEpochSecond() % 60).isZero();
      assertThat(job.getMetadata().getName()).isEqualTo("tick-" + at.getEpochSecond() / 60);
      assertThat(job.getMetadata().getLabels()).containsEntry("team", "a");
      assertThat(job.getMetadata().getAnnotations())
          .containsEntry(CronJobSync.SCHEDULED_ANNOTATION, at.toString()); // RFC 3339, in UTC
      h.until(
          () ->
              get(h, "tick").getStatus() != null && get(h, "tick").getStatus().getActive() != null);
      assertThat(Instant.parse(get(h, "tick").getStatus().getLastScheduleTime())).isEqualTo(at);
      complete(h, job, "Complete");
      h.until(
          () ->
              get(h, "tick").getStatus().getActive().isEmpty()
                  && get(h, "tick").getStatus().getLastSuccessfulTime() != null);
      h.until(() -> h.hasEvent("default", "tick", "SawCompletedJob"));
      assertThat(h.hasEvent("default", "tick", "SuccessfulCreate")).isTrue();
    }
  }

  @Test
  void forbidSkipsARunWhileTheLastIsActiveAndReplaceSwapsIt() {
    try (ClockedHarness h = harness()) {
      h.client
          .batch()
          .v1()
          .cronjobs()
          .resource(
              cron(
                  "solo", "* * * * *", b -> b.editSpec().withConcurrencyPolicy("Forbid").endSpec()))
          .create();
      h.until(() -> h.manualClock().pending() > 0);
      nextMinute(h);
      h.until(() -> jobs(h).size() == 1);
      h.until(() -> get(h, "solo").getStatus().getActive() != null);
      nextMinute(h);
      h.until(() -> h.hasEvent("default", "solo", "JobAlreadyActive"));
      assertThat(jobs(h)).hasSize(1);
      String first = jobs(h).getFirst().getMetadata().getName();
      h.client
          .batch()
          .v1()
          .cronjobs()
          .inNamespace("default")
          .withName("solo")
          .edit(
              c ->
                  new CronJobBuilder(c)
                      .editSpec()
                      .withConcurrencyPolicy("Replace")
                      .endSpec()
                      .build());
      h.until(
          () -> {
            if (h.manualClock().pending() > 0
                && jobs(h).size() == 1
                && jobs(h).getFirst().getMetadata().getName().equals(first)) {
              nextMinute(h);
            }
            return jobs(h).size() == 1 && !jobs(h).getFirst().getMetadata().getName().equals(first);
          });
    }
  }

  @Test
  void keepsOnlyTheSuccessfulHistoryLimit() {
    try (ClockedHarness h = harness()) {
      h.client
          .batch()
          .v1()
          .cronjobs()
          .resource(
              cron(
                  "hist",
                  "* * * * *",
                  b -> b.editSpec().withSuccessfulJobsHistoryLimit(1).endSpec()))
          .create();
      h.until(() -> h.manualClock().pending() > 0);
      for (int i = 0; i < 3; i++) {
        int before = i;
        nextMinute(h);
        h.until(
            () ->
                jobs(h).stream()
                    .anyMatch(
                        j ->
                            j.getStatus() == null
                                || j.getStatus().getConditions() == null
                                || j.getStatus().getConditions().isEmpty()));
        jobs(h).stream()
            .filter(j -> CronJobSync.finished(j).isEmpty())
            .forEach(j -> complete(h, j, "Complete"));
        assertThat(before).isGreaterThanOrEqualTo(0);
      }
      h.until(() -> jobs(h).size() == 1);
      h.until(() -> h.hasEvent("default", "hist", "SuccessfulDelete"));
    }
  }

  @Test
  void afterResumeOnlyTheLatestMissedRunStartsAndOnlyWithinTheStartingDeadline() {
    try (ClockedHarness h = harness()) {
      h.client
          .batch()
          .v1()
          .cronjobs()
          .resource(
              cron(
                  "late",
                  "* * * * *",
                  b -> b.editSpec().withSuspend(true).withStartingDeadlineSeconds(10L).endSpec()))
          .create();
      h.client
          .batch()
          .v1()
          .cronjobs()
          .resource(cron("eager", "* * * * *", b -> b.editSpec().withSuspend(true).endSpec()))
          .create();
      h.until(() -> get(h, "late") != null && get(h, "eager") != null);
      // Five minutes pass while suspended; resume 30 s after a schedule time.
      Instant now = h.clock.now();
      Instant target =
          now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plusSeconds(5 * 60 + 30);
      h.manualClock().advance(Duration.between(now, target));
      for (String n : List.of("late", "eager")) {
        h.retry(
            () ->
                h.client
                    .batch()
                    .v1()
                    .cronjobs()
                    .inNamespace("default")
                    .withName(n)
                    .edit(
                        c ->
                            new CronJobBuilder(c).editSpec().withSuspend(false).endSpec().build()));
      }
      // "late" is queued first (one worker): by the time "eager" has started its run, "late" has
      // decided that its last schedule time is outside its 10 s starting deadline.
      h.until(() -> jobs(h).size() == 1);
      Job only = jobs(h).getFirst();
      Instant latest = target.minusSeconds(30);
      assertThat(only.getMetadata().getName()).isEqualTo("eager-" + latest.getEpochSecond() / 60);
    }
  }
}
