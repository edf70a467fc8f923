package io.flotilla.controllers.job;

import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Job condition types, reasons and messages as upstream 1.32, and helpers to set them. */
final class JobConditions {
  static final String COMPLETE = "Complete";
  static final String FAILED = "Failed";
  static final String FAILURE_TARGET = "FailureTarget";
  static final String SUCCESS_CRITERIA_MET = "SuccessCriteriaMet";
  static final String SUSPENDED = "Suspended";

  static final String BACKOFF_LIMIT_EXCEEDED = "BackoffLimitExceeded";
  static final String DEADLINE_EXCEEDED = "DeadlineExceeded";
  static final String POD_FAILURE_POLICY = "PodFailurePolicy";
  static final String COMPLETIONS_REACHED = "CompletionsReached";
  static final String BACKOFF_MESSAGE = "Job has reached the specified backoff limit";
  static final String DEADLINE_MESSAGE = "Job was active longer than specified deadline";
  static final String COMPLETIONS_MESSAGE = "Reached expected number of succeeded pods";

  private JobConditions() {}

  static Optional<JobCondition> get(JobStatus s, String type) {
    if (s == null || s.getConditions() == null) {
      return Optional.empty();
    }
    return s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  static boolean isTrue(JobStatus s, String type) {
    return get(s, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /** Complete or Failed is True: the job is done and the controller leaves it be. */
  static boolean finished(JobStatus s) {
    return isTrue(s, COMPLETE) || isTrue(s, FAILED);
  }

  /**
   * Sets condition {@code type}; the transition time moves only when the status changes, as
   * upstream's {@code ensureJobConditionStatus}. Returns whether anything changed.
   */
  static boolean set(
      JobStatus s, String type, String status, String reason, String message, String now) {
    List<JobCondition> conds =
        new ArrayList<>(s.getConditions() == null ? List.of() : s.getConditions());
    for (int i = 0; i < conds.size(); i++) {
      JobCondition c = conds.get(i);
      if (!type.equals(c.getType())) {
        continue;
      }
      if (status.equals(c.getStatus())
          && java.util.Objects.equals(reason, c.getReason())
          && java.util.Objects.equals(message, c.getMessage())) {
        return false;
      }
      String transition = status.equals(c.getStatus()) ? c.getLastTransitionTime() : now;
      conds.set(
          i,
          new JobConditionBuilder(c)
              .withStatus(status)
              .withReason(reason)
              .withMessage(message)
              .withLastProbeTime(now)
              .withLastTransitionTime(transition)
              .build());
      s.setConditions(conds);
      return true;
    }
    if (!"True".equals(status)) {
      return false; // upstream does not add a False condition that was never there
    }
    conds.add(
        new JobConditionBuilder()
            .withType(type)
            .withStatus(status)
            .withReason(reason)
            .withMessage(message)
            .withLastProbeTime(now)
            .withLastTransitionTime(now)
            .build());
    s.setConditions(conds);
    return true;
  }
}
