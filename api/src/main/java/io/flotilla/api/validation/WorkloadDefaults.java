package io.flotilla.api.validation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Upstream's defaults for Jobs, CronJobs, HorizontalPodAutoscalers and LimitRanges. */
final class WorkloadDefaults {
  private WorkloadDefaults() {}

  static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
  static final String JOB_NAME = "batch.kubernetes.io/job-name";

  static void job(ObjectNode job) {
    ObjectNode spec = Json.objectOrCreate(job, "spec");
    // Unset completions and parallelism mean one pod; completions alone stay unset (work queue).
    if (Json.absent(spec, "completions") && Json.absent(spec, "parallelism")) {
      spec.put("completions", 1);
      spec.put("parallelism", 1);
    }
    Json.putIfAbsent(spec, "parallelism", 1);
    Json.putIfAbsent(
        spec, "backoffLimit", Json.absent(spec, "backoffLimitPerIndex") ? 6 : Integer.MAX_VALUE);
    Json.putIfAbsent(spec, "completionMode", "NonIndexed");
    Json.putIfAbsent(spec, "suspend", false);
    Json.putIfAbsent(
        spec,
        "podReplacementPolicy",
        Json.absent(spec, "podFailurePolicy") ? "TerminatingOrFailed" : "Failed");
    generateSelector(job, spec);
    PodDefaults.template(Json.object(spec, "template"));
  }

  /**
   * Unless the user chose the selector (manualSelector), a Job selects its pods by its own uid,
   * which the apiserver assigns before defaulting; without a uid there is nothing to select yet.
   */
  private static void generateSelector(ObjectNode job, ObjectNode spec) {
    String uid = Json.text(Json.object(job, "metadata"), "uid");
    if (uid == null || spec.path("manualSelector").asBoolean(false) || spec.has("selector")) {
      return;
    }
    String name = Json.textOr(Json.object(job, "metadata"), "name");
    ObjectNode template = Json.objectOrCreate(spec, "template");
    ObjectNode labels = Json.objectOrCreate(Json.objectOrCreate(template, "metadata"), "labels");
    Json.putIfAbsent(labels, CONTROLLER_UID, uid);
    Json.putIfAbsent(labels, "controller-uid", uid);
    Json.putIfAbsent(labels, JOB_NAME, name);
    Json.putIfAbsent(labels, "job-name", name);
    spec.putObject("selector").putObject("matchLabels").put(CONTROLLER_UID, uid);
  }

  static void cronJob(ObjectNode spec) {
    Json.putIfAbsent(spec, "concurrencyPolicy", "Allow");
    Json.putIfAbsent(spec, "suspend", false);
    Json.putIfAbsent(spec, "successfulJobsHistoryLimit", 3);
    Json.putIfAbsent(spec, "failedJobsHistoryLimit", 1);
    ObjectNode jobSpec = Json.object(Json.object(spec, "jobTemplate"), "spec");
    if (jobSpec != null) {
      PodDefaults.template(Json.object(jobSpec, "template"));
    }
  }

  /** autoscaling/v2: minReplicas 1, 80% CPU when no metric is given, behavior when given. */
  static void hpa(ObjectNode spec) {
    Json.putIfAbsent(spec, "minReplicas", 1);
    if (Json.absent(spec, "metrics") || spec.get("metrics").isEmpty()) {
      ObjectNode metric = spec.putArray("metrics").addObject();
      metric.put("type", "Resource");
      ObjectNode resource = metric.putObject("resource");
      resource.put("name", "cpu");
      resource.putObject("target").put("type", "Utilization").put("averageUtilization", 80);
    }
    ObjectNode behavior = Json.object(spec, "behavior");
    if (behavior != null) {
      ObjectNode up = Json.objectOrCreate(behavior, "scaleUp");
      Json.putIfAbsent(up, "stabilizationWindowSeconds", 0);
      Json.putIfAbsent(up, "selectPolicy", "Max");
      if (Json.absent(up, "policies")) {
        ArrayNode p = up.putArray("policies");
        p.addObject().put("type", "Pods").put("value", 4).put("periodSeconds", 15);
        p.addObject().put("type", "Percent").put("value", 100).put("periodSeconds", 15);
      }
      ObjectNode down = Json.objectOrCreate(behavior, "scaleDown");
      Json.putIfAbsent(down, "stabilizationWindowSeconds", 300);
      Json.putIfAbsent(down, "selectPolicy", "Max");
      if (Json.absent(down, "policies")) {
        down.putArray("policies")
            .addObject()
            .put("type", "Percent")
            .put("value", 100)
            .put("periodSeconds", 15);
      }
    }
  }

  /** A container limit's default is its max; its defaultRequest is its default, else its min. */
  static void limitRange(ObjectNode spec) {
    for (ObjectNode item : Json.objects(spec, "limits")) {
      if (!"Container".equals(Json.text(item, "type"))) {
        continue;
      }
      ObjectNode dflt = Json.objectOrCreate(item, "default");
      ObjectNode request = Json.objectOrCreate(item, "defaultRequest");
      copyMissing(Json.object(item, "max"), dflt);
      copyMissing(dflt, request);
      copyMissing(Json.object(item, "min"), request);
    }
  }

  private static void copyMissing(ObjectNode from, ObjectNode to) {
    if (from != null) {
      from.fields()
          .forEachRemaining(
              e -> {
                if (!to.has(e.getKey())) {
                  to.set(e.getKey(), e.getValue().deepCopy());
                }
              });
    }
  }
}
