package io.flotilla.scheduler;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * What the scheduler tells the API layer, which turns it into Events and the PodScheduled
 * condition. Called from the scheduling thread (failures) and the binding executor (success, bind
 * failures); implementations must not block for long.
 */
public interface SchedulerEvents {
  /** Reason of the PodScheduled=False condition when no node fits. */
  String REASON_UNSCHEDULABLE = "Unschedulable";

  /** Reason when scheduling failed for an internal error (bind refused, plugin error). */
  String REASON_SCHEDULER_ERROR = "SchedulerError";

  SchedulerEvents NONE =
      new SchedulerEvents() {
        @Override
        public void scheduled(Pod pod, String nodeName) {}

        @Override
        public void failed(Pod pod, String message, String reason, String nominatedNodeName) {}
      };

  /** The pod was bound to {@code nodeName} (event "Scheduled"). */
  void scheduled(Pod pod, String nodeName);

  /**
   * The cycle failed (event "FailedScheduling" with {@code message}; condition PodScheduled False
   * with {@code reason}); {@code nominatedNodeName} is to be written to status.nominatedNodeName
   * when not null ("" clears it).
   */
  void failed(Pod pod, String message, String reason, String nominatedNodeName);
}
