package io.flotilla.controllers.cronjob;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flotilla.api.validation.CronSchedule;
import io.flotilla.controllers.runtime.Ownership;
import io.flotilla.controllers.runtime.Pods;
import io.flotilla.controllers.runtime.Result;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** One reconcile of one CronJob (upstream's {@code syncCronJob}). Not shared between threads. */
final class CronJobSync {
  static final String SCHEDULED_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp";

  /**
   * Go's {@code time.RFC3339}, which upstream formats the scheduled time with (in the CronJob's
   * time zone): seconds always ("10:01:00Z"; {@code OffsetDateTime.toString} drops them when 0).
   */
  static final java.time.format.DateTimeFormatter RFC3339 =
      java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

  /** Upstream warns past this many missed start times (and still starts the latest one). */
  static final int TOO_MANY_MISSED = 100;

  /** Upstream looks again this long after the next schedule time, so it is surely due. */
  static final Duration NEXT_DELTA = Duration.ofMillis(100);

  private final CronJobController c;
  private final CronJob cj;
  private final List<Job> owned;
  private final Instant now;
  private final CronJobStatus st;

  CronJobSync(CronJobController c, CronJob cj, List<Job> owned) {
    this.c = c;
    this.cj = cj;
    this.owned = owned;
    this.now = c.ctx.clock().now();
    this.st =
        cj.getStatus() == null
            ? new CronJobStatus()
            : new CronJobStatusBuilder(cj.getStatus()).build();
  }

  Result run() {
    CronJobStatus before = new CronJobStatusBuilder(st).build();
    trackActive();
    Result r = schedule();
    cleanupHistory();
    if (!Objects.equals(before, st)) {
      CronJob copy = new CronJobBuilder(cj).withStatus(st).build();
      c.ctx.client().batch().v1().cronjobs().inNamespace(ns()).resource(copy).updateStatus();
    }
    return r;
  }

  private String ns() {
    return cj.getMetadata().getNamespace();
  }

  /** Drops finished and missing jobs from {@code status.active}, adds running ones it lacks. */
  private void trackActive() {
    List<ObjectReference> active =
        new ArrayList<>(st.getActive() == null ? List.of() : st.getActive());
    Map<String, Job> byUid = new HashMap<>();
    owned.forEach(j -> byUid.put(j.getMetadata().getUid(), j));
    for (Job j : owned) {
      boolean listed =
          active.stream().anyMatch(a -> Objects.equals(a.getUid(), j.getMetadata().getUid()));
      Optional<JobCondition> fin = finished(j);
      if (fin.isEmpty() && !listed && j.getMetadata().getDeletionTimestamp() == null) {
        c.events.warning(
            cj,
            "UnexpectedJob",
            "Saw a job that the controller did not create or forgot: %s",
            j.getMetadata().getName());
        active.add(CronJobController.ref(j));
      } else if (fin.isPresent() && listed) {
        c.events.normal(
            cj,
            "SawCompletedJob",
            "Saw completed job: %s, condition: %s",
            j.getMetadata().getName(),
            fin.get().getType());
        active.removeIf(a -> Objects.equals(a.getUid(), j.getMetadata().getUid()));
      }
      if (fin.isPresent() && "Complete".equals(fin.get().getType())) {
        String done = j.getStatus().getCompletionTime();
        if (done != null
            && (st.getLastSuccessfulTime() == null
                || Instant.parse(done).isAfter(Instant.parse(st.getLastSuccessfulTime())))) {
          st.setLastSuccessfulTime(done);
        }
      }
    }
    for (ObjectReference a : List.copyOf(active)) {
      if (!byUid.containsKey(a.getUid())) {
        Job live = c.ctx.client().batch().v1().jobs().inNamespace(ns()).withName(a.getName()).get();
        if (live == null || !Objects.equals(live.getMetadata().getUid(), a.getUid())) {
          c.events.normal(cj, "MissingJob", "Active job went missing: %s", a.getName());
          active.remove(a);
        }
      }
    }
    st.setActive(active);
  }

  private Result schedule() {
    if (cj.getMetadata().getDeletionTimestamp() != null) {
      return Result.done();
    }
    ZoneId zone = ZoneOffset.UTC;
    String tz = cj.getSpec().getTimeZone();
    if (tz != null) {
      try {
        zone = ZoneId.of(tz);
      } catch (DateTimeException e) {
        c.events.warning(
            cj, "UnknownTimeZone", "invalid timeZone: %s: %s", quote(tz), e.getMessage());
        return Result.done();
      }
    }
    ScheduleTimes times;
    try {
      times = new ScheduleTimes(CronSchedule.parse(cj.getSpec().getSchedule()), zone);
    } catch (IllegalArgumentException e) {
      c.events.warning(
          cj,
          "UnparseableSchedule",
          "unparseable schedule: %s : %s",
          quote(cj.getSpec().getSchedule()),
          e.getMessage());
      return Result.done();
    }
    if (Boolean.TRUE.equals(cj.getSpec().getSuspend())) {
      return Result.done();
    }
    Optional<Instant> scheduled = mostRecentUnmet(times);
    Result next = next(times);
    if (scheduled.isEmpty()) {
      return next;
    }
    Instant at = scheduled.get();
    Long sds = cj.getSpec().getStartingDeadlineSeconds();
    if (sds != null && at.plusSeconds(sds).isBefore(now)) {
      c.events.warning(
          cj,
          "MissSchedule",
          "Missed scheduled time to start a job: %s",
          at.atZone(zone).toOffsetDateTime());
      return next;
    }
    String name = jobName(cj.getMetadata().getName(), at);
    boolean alreadyListed =
        st.getActive() != null && st.getActive().stream().anyMatch(a -> name.equals(a.getName()));
    if (alreadyListed
        || (st.getLastScheduleTime() != null
            && Instant.parse(st.getLastScheduleTime()).equals(at))) {
      return next;
    }
    String policy = Objects.requireNonNullElse(cj.getSpec().getConcurrencyPolicy(), "Allow");
    List<ObjectReference> active =
        st.getActive() == null ? new ArrayList<>() : new ArrayList<>(st.getActive());
    if ("Forbid".equals(policy) && !active.isEmpty()) {
      c.events.normal(
          cj,
          "JobAlreadyActive",
          "Not starting job because prior execution is running and concurrency policy is Forbid");
      return next;
    }
    if ("Replace".equals(policy)) {
      for (ObjectReference a : List.copyOf(active)) {
        deleteJob(a.getName());
        active.remove(a);
      }
    }
    Job job = newJob(name, at, zone);
    try {
      Job created = c.ctx.client().batch().v1().jobs().inNamespace(ns()).resource(job).create();
      c.events.normal(cj, "SuccessfulCreate", "Created job %s", name);
      active.add(CronJobController.ref(created));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        c.events.warning(cj, "FailedCreate", "Error creating job: %s", e.getMessage());
        throw e;
      }
      // Already there: created by an earlier reconcile whose status write was lost.
    }
    st.setActive(active);
    st.setLastScheduleTime(Pods.timestamp(at));
    return next;
  }

  /**
   * The latest schedule time in (last schedule or creation, now], or after the starting deadline
   * window when there is one; warns when more than {@link #TOO_MANY_MISSED} were missed.
   */
  private Optional<Instant> mostRecentUnmet(ScheduleTimes times) {
    Instant earliest =
        st.getLastScheduleTime() != null
            ? Instant.parse(st.getLastScheduleTime())
            : Instant.parse(cj.getMetadata().getCreationTimestamp());
    Long sds = cj.getSpec().getStartingDeadlineSeconds();
    if (sds != null) {
      Instant window = now.minusSeconds(sds);
      earliest = window.isAfter(earliest) ? window : earliest;
    }
    Instant latest = null;
    long missed = 0;
    for (Optional<Instant> t = times.next(earliest);
        t.isPresent() && !t.get().isAfter(now);
        t = times.next(t.get())) {
      latest = t.get();
      missed++;
    }
    if (missed > TOO_MANY_MISSED) {
      c.events.warning(
          cj,
          "TooManyMissedTimes",
          "too many missed start times: %d. Set or decrease .spec.startingDeadlineSeconds or check clock skew",
          missed);
    }
    return Optional.ofNullable(latest);
  }

  private Result next(ScheduleTimes times) {
    return times
        .next(now)
        .map(t -> Result.requeueAfter(Duration.between(now, t).plus(NEXT_DELTA)))
        .orElse(Result.done());
  }

  static String jobName(String cronJob, Instant scheduled) {
    return cronJob + "-" + scheduled.getEpochSecond() / 60;
  }

  private Job newJob(String name, Instant at, ZoneId zone) {
    var tmpl = cj.getSpec().getJobTemplate();
    Map<String, String> annotations = new HashMap<>();
    Map<String, String> labels = new HashMap<>();
    if (tmpl.getMetadata() != null) {
      if (tmpl.getMetadata().getAnnotations() != null) {
        annotations.putAll(tmpl.getMetadata().getAnnotations());
      }
      if (tmpl.getMetadata().getLabels() != null) {
        labels.putAll(tmpl.getMetadata().getLabels());
      }
    }
    annotations.put(SCHEDULED_ANNOTATION, RFC3339.format(at.atZone(zone)));
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns())
        .withLabels(labels.isEmpty() ? null : labels)
        .withAnnotations(annotations)
        .withOwnerReferences(Ownership.controllerRef(cj, "batch/v1", "CronJob"))
        .endMetadata()
        .withSpec(tmpl.getSpec())
        .build();
  }

  private void deleteJob(String name) {
    try {
      c.ctx
          .client()
          .batch()
          .v1()
          .jobs()
          .inNamespace(ns())
          .withName(name)
          .withPropagationPolicy(DeletionPropagation.BACKGROUND)
          .delete();
      c.events.normal(cj, "SuccessfulDelete", "Deleted job %s", name);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        c.events.warning(cj, "FailedDelete", "Deleted job: %s", e.getMessage());
        throw e;
      }
    }
  }

  /** Deletes the oldest finished jobs beyond successful/failedJobsHistoryLimit (3 and 1). */
  private void cleanupHistory() {
    int keepOk = Objects.requireNonNullElse(cj.getSpec().getSuccessfulJobsHistoryLimit(), 3);
    int keepFailed = Objects.requireNonNullElse(cj.getSpec().getFailedJobsHistoryLimit(), 1);
    List<Job> ok = new ArrayList<>();
    List<Job> failed = new ArrayList<>();
    for (Job j : owned) {
      if (j.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      finished(j).ifPresent(f -> ("Complete".equals(f.getType()) ? ok : failed).add(j));
    }
    prune(ok, keepOk);
    prune(failed, keepFailed);
  }

  private void prune(List<Job> finished, int keep) {
    if (finished.size() <= keep) {
      return;
    }
    finished.sort(
        Comparator.comparing(
                (Job j) ->
                    j.getStatus() == null || j.getStatus().getStartTime() == null
                        ? Instant.MIN
                        : Instant.parse(j.getStatus().getStartTime()))
            .thenComparing(j -> j.getMetadata().getName()));
    for (Job j : finished.subList(0, finished.size() - keep)) {
      deleteJob(j.getMetadata().getName());
    }
  }

  static Optional<JobCondition> finished(Job j) {
    if (j.getStatus() == null || j.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return j.getStatus().getConditions().stream()
        .filter(
            x ->
                ("Complete".equals(x.getType()) || "Failed".equals(x.getType()))
                    && "True".equals(x.getStatus()))
        .findFirst();
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }
}
