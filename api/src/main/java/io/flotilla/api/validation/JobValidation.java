package io.flotilla.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/** Checks Jobs and CronJobs. */
final class JobValidation {
  private JobValidation() {}

  static final List<String> RESTART_POLICIES = List.of("OnFailure", "Never");
  private static final List<String> COMPLETION_MODES = List.of("NonIndexed", "Indexed");
  private static final List<String> CONCURRENCY = List.of("Allow", "Forbid", "Replace");
  private static final List<String> REPLACEMENT = List.of("Failed", "TerminatingOrFailed");

  /** The longest CronJob name: Jobs it creates append an 11-character suffix. */
  static final int CRONJOB_NAME_MAX = 52;

  static void job(ObjectNode job, ObjectNode old, Errors errs) {
    ObjectNode spec = WorkloadValidation.spec(job, errs);
    if (spec == null) {
      return;
    }
    jobSpec(spec, "spec", errs);
    if (old != null) {
      update(spec, Json.object(old, "spec"), errs);
    }
  }

  static void jobSpec(ObjectNode spec, String path, Errors errs) {
    for (String f :
        List.of("parallelism", "completions", "backoffLimit", "ttlSecondsAfterFinished")) {
      ContainerValidation.nonNegative(spec, f, path, errs);
    }
    Long deadline = Json.integer(spec, "activeDeadlineSeconds");
    if (deadline != null && deadline <= 0) {
      errs.invalid(path + ".activeDeadlineSeconds", deadline, "must be greater than 0");
    }
    String mode = Json.text(spec, "completionMode");
    if (mode != null && !COMPLETION_MODES.contains(mode)) {
      errs.notSupported(path + ".completionMode", mode, COMPLETION_MODES);
    }
    if ("Indexed".equals(mode) && Json.absent(spec, "completions")) {
      errs.required(path + ".completions", "when completion mode is Indexed");
    }
    PodValidation.enumValue(spec, "podReplacementPolicy", path, REPLACEMENT, errs);
    ObjectNode selector = Json.object(spec, "selector");
    Selectors.validate(selector, path + ".selector", errs);
    ObjectNode template = Json.object(spec, "template");
    if (template == null) {
      errs.required(path + ".template");
      return;
    }
    JsonNode labels = template.path("metadata").path("labels");
    if (selector != null && !Selectors.isEmpty(selector) && !Selectors.matches(selector, labels)) {
      errs.invalid(
          path + ".template.metadata.labels",
          labels.toString(),
          WorkloadValidation.SELECTOR_MISMATCH);
    }
    WorkloadValidation.template(template, path + ".template", RESTART_POLICIES, errs);
  }

  /** A job's selector, completion mode and (unless suspended) template are fixed at creation. */
  private static void update(ObjectNode spec, ObjectNode oldSpec, Errors errs) {
    if (oldSpec == null) {
      return;
    }
    immutable(spec, oldSpec, "selector", errs);
    immutable(spec, oldSpec, "completionMode", errs);
    if (!"Indexed".equals(Json.text(spec, "completionMode"))) {
      immutable(spec, oldSpec, "completions", errs);
    }
    if (!oldSpec.path("suspend").asBoolean(false)) {
      immutable(spec, oldSpec, "template", errs);
    }
  }

  private static void immutable(ObjectNode spec, ObjectNode oldSpec, String field, Errors errs) {
    if (!Objects.equals(spec.get(field), oldSpec.get(field))) {
      errs.invalid("spec." + field, String.valueOf(spec.get(field)), "field is immutable");
    }
  }

  static void cronJob(ObjectNode cronJob, Errors errs) {
    String name = Json.textOr(Json.object(cronJob, "metadata"), "name");
    if (name.length() > CRONJOB_NAME_MAX) {
      errs.invalid("metadata.name", name, Names.maxLen(CRONJOB_NAME_MAX));
    }
    ObjectNode spec = WorkloadValidation.spec(cronJob, errs);
    if (spec == null) {
      return;
    }
    String timeZone = Json.text(spec, "timeZone");
    schedule(Json.textOr(spec, "schedule"), timeZone != null, errs);
    if (timeZone != null) {
      try {
        if (timeZone.isEmpty() || timeZone.equalsIgnoreCase("local")) {
          throw new DateTimeException(timeZone);
        }
        ZoneId.of(timeZone);
      } catch (DateTimeException e) {
        errs.invalid("spec.timeZone", timeZone, "unknown time zone " + timeZone);
      }
    }
    String concurrency = Json.textOr(spec, "concurrencyPolicy");
    if (concurrency.isEmpty()) {
      errs.required("spec.concurrencyPolicy");
    } else if (!CONCURRENCY.contains(concurrency)) {
      errs.notSupported("spec.concurrencyPolicy", concurrency, CONCURRENCY);
    }
    for (String f :
        List.of(
            "startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit")) {
      ContainerValidation.nonNegative(spec, f, "spec", errs);
    }
    ObjectNode jobSpec = Json.object(Json.object(spec, "jobTemplate"), "spec");
    if (jobSpec == null) {
      errs.required("spec.jobTemplate.spec");
    } else {
      jobSpec(jobSpec, "spec.jobTemplate.spec", errs);
    }
  }

  private static void schedule(String schedule, boolean hasTimeZone, Errors errs) {
    if (schedule.isEmpty()) {
      errs.required("spec.schedule");
      return;
    }
    if (schedule.contains("TZ")) {
      errs.invalid(
          "spec.schedule",
          schedule,
          hasTimeZone
              ? "cannot use both timeZone field and TZ or CRON_TZ in schedule"
              : "cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
      return;
    }
    try {
      CronSchedule.parse(schedule);
    } catch (IllegalArgumentException e) {
      errs.invalid("spec.schedule", schedule, e.getMessage());
    }
  }
}
