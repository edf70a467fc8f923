package io.flotilla.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import io.flotilla.controllers.runtime.Pods;
import io.flotilla.controllers.testsupport.ClockedHarness;
import io.flotilla.controllers.testsupport.ControllerHarness;
import io.flotilla.controllers.ttlafterfinished.TtlAfterFinishedController;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class JobControllerIT {
  private static final Duration LONG = Duration.ofSeconds(60);

  static Job job(String name, UnaryOperator<JobBuilder> spec) {
    JobBuilder b =
        new JobBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .withNewTemplate()
            .withNewSpec()
            .withRestartPolicy("Never")
            .addNewContainer()
            .withName("work")
            .withImage("busybox")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec();
    return spec.apply(b).build();
  }

  static List<Pod> pods(ClockedHarness h, String job) {
    return h.client
        .pods()
        .inNamespace("default")
        .withLabel("batch.kubernetes.io/job-name", job)
        .list()
        .getItems();
  }

  static List<Pod> active(ClockedHarness h, String job) {
    return pods(h, job).stream().filter(Pods::isActive).toList();
  }

  static Job get(ClockedHarness h, String name) {
    return h.client.batch().v1().jobs().inNamespace("default").withName(name).get();
  }

  static Optional<JobCondition> cond(Job j, String type) {
    return JobConditions.get(j.getStatus(), type).filter(c -> "True".equals(c.getStatus()));
  }

  static ControllerHarness.Named jobs() {
    return ControllerHarness.of(JobController.NAME, JobController::create);
  }

  @Test
  void completesFiveCompletionsTwoAtATimeAndReleasesEveryPod() {
    try (ClockedHarness h = ClockedHarness.system(jobs())) {
      h.client
          .batch()
          .v1()
          .jobs()
          .resource(job("five", b -> b.editSpec().withCompletions(5).withParallelism(2).endSpec()))
          .create();
      await().atMost(LONG).until(() -> active(h, "five").size() == 2);
      AtomicInteger maxActive = new AtomicInteger();
      await()
          .atMost(LONG)
          .until(
              () -> {
                List<Pod> act = active(h, "five");
                maxActive.accumulateAndGet(act.size(), Math::max);
                for (Pod p : act) {
                  h.finish(p, "Succeeded", 0);
                }
                return cond(get(h, "five"), "Complete").isPresent();
              });
      Job done = get(h, "five");
      assertThat(maxActive.get()).isBetween(1, 2);
      assertThat(done.getStatus().getSucceeded()).isEqualTo(5);
      assertThat(done.getStatus().getActive()).isZero();
      assertThat(done.getStatus().getCompletionTime()).isNotNull();
      assertThat(done.getStatus().getStartTime()).isNotNull();
      assertThat(cond(done, "SuccessCriteriaMet")).isPresent();
      assertThat(cond(done, "Complete").get().getReason()).isEqualTo("CompletionsReached");
      await().atMost(LONG).until(() -> pods(h, "five").stream().noneMatch(JobPods::hasFinalizer));
      Pod any = pods(h, "five").getFirst();
      assertThat(any.getMetadata().getLabels())
          .containsEntry("batch.kubernetes.io/controller-uid", done.getMetadata().getUid());
      assertThat(pods(h, "five")).hasSize(5);
      await().atMost(LONG).until(() -> h.hasEvent("default", "five", "Completed"));
      assertThat(h.hasEvent("default", "five", "SuccessfulCreate")).isTrue();
    }
  }

  @Test
  void failsWithBackoffLimitExceededAfterBackingOffBeforeReplacingAFailedPod() {
    try (ClockedHarness h = ClockedHarness.manual(jobs())) {
      h.client
          .batch()
          .v1()
          .jobs()
          .resource(job("flaky", b -> b.editSpec().withBackoffLimit(1).endSpec()))
          .create();
      await().atMost(LONG).until(() -> tickThen(h, active(h, "flaky").size() == 1));
      h.finish(active(h, "flaky").getFirst(), "Failed", 1);
      await()
          .atMost(LONG)
          .until(() -> tickThen(h, get(h, "flaky").getStatus().getFailed() != null));
      // Backoff: no replacement before 10 s have passed.
      assertThat(active(h, "flaky")).isEmpty();
      h.manualClock().advance(Duration.ofSeconds(11));
      await().atMost(LONG).until(() -> tickThen(h, active(h, "flaky").size() == 1));
      h.finish(active(h, "flaky").getFirst(), "Failed", 1);
      await().atMost(LONG).until(() -> tickThen(h, cond(get(h, "flaky"), "Failed").isPresent()));
      Job failed = get(h, "flaky");
      assertThat(failed.getStatus().getFailed()).isEqualTo(2);
      assertThat(cond(failed, "Failed").get().getReason()).isEqualTo("BackoffLimitExceeded");
      assertThat(cond(failed, "FailureTarget")).isPresent();
      await().atMost(LONG).until(() -> h.hasEvent("default", "flaky", "BackoffLimitExceeded"));
    }
  }

  @Test
  void failsWithDeadlineExceededAndDeletesActivePods() {
    try (ClockedHarness h = ClockedHarness.manual(jobs())) {
      h.client
          .batch()
          .v1()
          .jobs()
          .resource(
              job(
                  "slow",
                  b -> b.editSpec().withActiveDeadlineSeconds(30L).withParallelism(2).endSpec()))
          .create();
      await().atMost(LONG).until(() -> tickThen(h, active(h, "slow").size() == 2));
      assertThat(cond(get(h, "slow"), "Failed")).isEmpty();
      h.manualClock().advance(Duration.ofSeconds(31));
      await().atMost(LONG).until(() -> tickThen(h, cond(get(h, "slow"), "Failed").isPresent()));
      assertThat(cond(get(h, "slow"), "Failed").get().getReason()).isEqualTo("DeadlineExceeded");
      await().atMost(LONG).until(() -> tickThen(h, pods(h, "slow").isEmpty()));
      await().atMost(LONG).until(() -> h.hasEvent("default", "slow", "DeadlineExceeded"));
    }
  }

  @Test
  void indexedJobGivesEachPodItsIndexAndTracksCompletedIndexes() {
    try (ClockedHarness h = ClockedHarness.system(jobs())) {
      h.client
          .batch()
          .v1()
          .jobs()
          .resource(
              job(
                  "idx",
                  b ->
                      b.editSpec()
                          .withCompletionMode("Indexed")
                          .withCompletions(3)
                          .withParallelism(3)
                          .endSpec()))
          .create();
      await().atMost(LONG).until(() -> active(h, "idx").size() == 3);
      List<String> indexes =
          active(h, "idx").stream()
              .map(p -> p.getMetadata().getAnnotations().get(JobPods.INDEX_ANNOTATION))
              .sorted()
              .toList();
      assertThat(indexes).containsExactly("0", "1", "2");
      Pod one =
          active(h, "idx").stream()
              .filter(p -> "1".equals(p.getMetadata().getLabels().get(JobPods.INDEX_LABEL)))
              .findFirst()
              .orElseThrow();
      assertThat(one.getSpec().getHostname()).isEqualTo("idx-1");
      assertThat(one.getMetadata().getName()).startsWith("idx-1-");
      assertThat(one.getSpec().getContainers().getFirst().getEnv())
          .anyMatch(e -> e.getName().equals("JOB_COMPLETION_INDEX"));
      h.finish(one, "Succeeded", 0);
      await().atMost(LONG).until(() -> "1".equals(get(h, "idx").getStatus().getCompletedIndexes()));
      // A failed index is started again under the same index.
      Pod zero =
          active(h, "idx").stream()
              .filter(p -> "0".equals(p.getMetadata().getLabels().get(JobPods.INDEX_LABEL)))
              .findFirst()
              .orElseThrow();
      h.finish(zero, "Failed", 3);
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () ->
                  active(h, "idx").stream()
                      .anyMatch(
                          p -> "0".equals(p.getMetadata().getLabels().get(JobPods.INDEX_LABEL))));
      await()
          .atMost(LONG)
          .until(
              () -> {
                active(h, "idx").forEach(p -> h.finish(p, "Succeeded", 0));
                return cond(get(h, "idx"), "Complete").isPresent();
              });
      assertThat(get(h, "idx").getStatus().getCompletedIndexes()).isEqualTo("0-2");
      assertThat(get(h, "idx").getStatus().getFailed()).isEqualTo(1);
    }
  }

  @Test
  void podFailurePolicyFailsTheJobOnAnExitCodeAndIgnoresDisruptions() {
    try (ClockedHarness h = ClockedHarness.system(jobs())) {
      h.client
          .batch()
          .v1()
          .jobs()
          .resource(
              job(
                  "pfp",
                  b ->
                      b.editSpec()
                          .withPodFailurePolicy(
                              new PodFailurePolicyBuilder()
                                  .addNewRule()
                                  .withAction("FailJob")
                                  .withNewOnExitCodes()
                                  .withOperator("In")
                                  .withValues(42)
                                  .endOnExitCodes()
                                  .endRule()
                                  .addNewRule()
                                  .withAction("Ignore")
                                  .addNewOnPodCondition()
                                  .withType("DisruptionTarget")
                                  .withStatus("True")
                                  .endOnPodCondition()
                                  .endRule()
                                  .build())
                          .endSpec()))
          .create();
      await().atMost(LONG).until(() -> active(h, "pfp").size() == 1);
      Pod first = active(h, "pfp").getFirst();
      h.finish(first, "Failed", 137, "DisruptionTarget");
      await()
          .atMost(LONG)
          .until(
              () ->
                  active(h, "pfp").size() == 1
                      && !active(h, "pfp")
                          .getFirst()
                          .getMetadata()
                          .getName()
                          .equals(first.getMetadata().getName()));
      assertThat(get(h, "pfp").getStatus().getFailed()).isNull();
      h.finish(active(h, "pfp").getFirst(), "Failed", 42);
      await().atMost(LONG).until(() -> cond(get(h, "pfp"), "Failed").isPresent());
      JobCondition failed = cond(get(h, "pfp"), "Failed").get();
      assertThat(failed.getReason()).isEqualTo("PodFailurePolicy");
      assertThat(failed.getMessage()).contains("exit code 42").contains("FailJob rule at index 0");
      assertThat(get(h, "pfp").getStatus().getFailed()).isEqualTo(1);
    }
  }

  @Test
  void suspendedJobRunsNoPodsUntilResumed() {
    try (ClockedHarness h = ClockedHarness.system(jobs())) {
      h.client
          .batch()
          .v1()
          .jobs()
          .resource(job("later", b -> b.editSpec().withSuspend(true).withParallelism(2).endSpec()))
          .create();
      await().atMost(LONG).until(() -> cond(get(h, "later"), "Suspended").isPresent());
      assertThat(pods(h, "later")).isEmpty();
      assertThat(get(h, "later").getStatus().getStartTime()).isNull();
      h.retry(
          () ->
              h.client
                  .batch()
                  .v1()
                  .jobs()
                  .inNamespace("default")
                  .withName("later")
                  .edit(j -> new JobBuilder(j).editSpec().withSuspend(false).endSpec().build()));
      await().atMost(LONG).until(() -> active(h, "later").size() == 2);
      await()
          .atMost(LONG)
          .until(
              () ->
                  JobConditions.get(get(h, "later").getStatus(), "Suspended")
                      .map(c -> c.getStatus().equals("False") && c.getReason().equals("JobResumed"))
                      .orElse(false));
      assertThat(get(h, "later").getStatus().getStartTime()).isNotNull();
      h.retry(
          () ->
              h.client
                  .batch()
                  .v1()
                  .jobs()
                  .inNamespace("default")
                  .withName("later")
                  .edit(j -> new JobBuilder(j).editSpec().withSuspend(true).endSpec().build()));
      await().atMost(LONG).until(() -> active(h, "later").isEmpty());
      await().atMost(LONG).until(() -> h.hasEvent("default", "later", "Suspended"));
      assertThat(get(h, "later").getStatus().getFailed()).isNull();
    }
  }

  @Test
  void finishedJobIsDeletedAfterItsTtl() {
    try (ClockedHarness h =
        ClockedHarness.manual(
            jobs(),
            ControllerHarness.of(
                TtlAfterFinishedController.NAME, TtlAfterFinishedController::create))) {
      h.client
          .batch()
          .v1()
          .jobs()
          .resource(job("brief", b -> b.editSpec().withTtlSecondsAfterFinished(100).endSpec()))
          .create();
      await().atMost(LONG).until(() -> tickThen(h, active(h, "brief").size() == 1));
      h.finish(active(h, "brief").getFirst(), "Succeeded", 0);
      await().atMost(LONG).until(() -> tickThen(h, cond(get(h, "brief"), "Complete").isPresent()));
      assertThat(get(h, "brief")).isNotNull();
      h.manualClock().advance(Duration.ofSeconds(101));
      await()
          .atMost(LONG)
          .until(
              () -> {
                Job j = get(h, "brief");
                h.tick();
                return j == null || j.getMetadata().getDeletionTimestamp() != null;
              });
    }
  }

  @Test
  void aJobBeingDeletedReleasesItsPods() {
    try (ClockedHarness h = ClockedHarness.system(jobs())) {
      h.client
          .batch()
          .v1()
          .jobs()
          .resource(job("gone", b -> b.editSpec().withParallelism(2).endSpec()))
          .create();
      h.until(() -> active(h, "gone").size() == 2);
      assertThat(active(h, "gone")).allMatch(JobPods::hasFinalizer);
      h.client
          .batch()
          .v1()
          .jobs()
          .inNamespace("default")
          .withName("gone")
          .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.FOREGROUND)
          .delete();
      h.until(() -> pods(h, "gone").stream().noneMatch(JobPods::hasFinalizer));
    }
  }

  private static boolean tickThen(ClockedHarness h, boolean b) {
    h.tick();
    return b;
  }
}
