package io.flotilla.api.kinds;

import static io.flotilla.api.kinds.Cells.column;
import static io.flotilla.api.kinds.Cells.integer;
import static io.flotilla.api.kinds.Cells.text;
import static io.flotilla.api.kinds.Cells.typed;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.Durations;
import io.flotilla.api.TableColumn;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** Jobs and CronJobs. */
public final class BatchBehaviors {
  private BatchBehaviors() {}

  private static final TableColumn SELECTOR = Cells.wide("Selector", "The pod label selector");

  public static TableBehavior job() {
    List<TableColumn> columns =
        List.of(
            Cells.NAME,
            column("Status", "The state of the job"),
            column("Completions", "Succeeded pods out of required completions"),
            column("Duration", "How long the job ran, or has been running"),
            Cells.AGE,
            Cells.CONTAINERS,
            Cells.IMAGES,
            SELECTOR);
    return TableBehavior.of(
            columns,
            (o, now) -> {
              JsonNode containers = o.path("spec").path("template").path("spec").path("containers");
              return Cells.row(
                  Cells.name(o),
                  status(o),
                  completions(o),
                  duration(o, now),
                  Cells.age(o, now),
                  Cells.containerNames(containers),
                  Cells.containerImages(containers),
                  Cells.formatSelector(o.path("spec").path("selector")));
            })
        .withSelectors(
            Map.of("status.successful", o -> String.valueOf(integer(o, "status.succeeded"))));
  }

  static String completions(JsonNode job) {
    long succeeded = integer(job, "status.succeeded");
    if (Cells.present(job, "spec.completions")) {
      return succeeded + "/" + integer(job, "spec.completions");
    }
    long parallelism = integer(job, "spec.parallelism");
    return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
  }

  /** Conditions in upstream's order of precedence: finished states before transient ones. */
  static String status(JsonNode job) {
    JsonNode status = job.path("status");
    if (PodBehavior.conditionTrue(status, "Complete")) {
      return "Complete";
    }
    if (PodBehavior.conditionTrue(status, "Failed")) {
      return "Failed";
    }
    if (Cells.deleting(job)) {
      return "Terminating";
    }
    if (PodBehavior.conditionTrue(status, "Suspended")) {
      return "Suspended";
    }
    if (PodBehavior.conditionTrue(status, "FailureTarget")) {
      return "FailureTarget";
    }
    return "Running";
  }

  static String duration(JsonNode job, Instant now) {
    Instant start = instant(text(job, "status.startTime"));
    if (start == null) {
      return "";
    }
    Instant end = instant(text(job, "status.completionTime"));
    return Durations.human(Duration.between(start, end == null ? now : end));
  }

  private static Instant instant(String timestamp) {
    if (timestamp.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  public static TableBehavior cronJob() {
    List<TableColumn> columns =
        List.of(
            Cells.NAME,
            column("Schedule", "The cron schedule"),
            column("Timezone", "The time zone of the schedule"),
            typed("Suspend", "boolean", "Whether new runs are suspended"),
            typed("Active", "integer", "Jobs running now"),
            column("Last Schedule", "When a job was last scheduled"),
            Cells.AGE,
            Cells.CONTAINERS,
            Cells.IMAGES,
            SELECTOR);
    return TableBehavior.of(
        columns,
        (o, now) -> {
          JsonNode jobSpec = o.path("spec").path("jobTemplate").path("spec");
          JsonNode containers = jobSpec.path("template").path("spec").path("containers");
          String last = text(o, "status.lastScheduleTime");
          return Cells.row(
              Cells.name(o),
              text(o, "spec.schedule"),
              Cells.present(o, "spec.timeZone") ? text(o, "spec.timeZone") : "<none>",
              // Upstream prints this boolean column as a word.
              Cells.present(o, "spec.suspend")
                  ? (Cells.bool(o, "spec.suspend") ? "True" : "False")
                  : "<unset>",
              (long) o.path("status").path("active").size(),
              last.isEmpty() ? "<none>" : Cells.since(last, now),
              Cells.age(o, now),
              Cells.containerNames(containers),
              Cells.containerImages(containers),
              Cells.formatSelector(jobSpec.path("selector")));
        });
  }
}
