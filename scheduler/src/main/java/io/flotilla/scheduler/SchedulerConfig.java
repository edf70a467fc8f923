package io.flotilla.scheduler;

import io.flotilla.scheduler.profile.DefaultProfile;
import io.flotilla.scheduler.queue.SchedulingQueue;
import java.time.Duration;

/**
 * Tunables of one scheduler.
 *
 * @param parallelism threads filtering and scoring nodes (the calling thread included)
 * @param percentageOfNodesToScore share of nodes to find feasible before stopping; 0 means
 *     upstream's adaptive 50 - nodes/125 (at least 5%), and never fewer than 100 nodes
 * @param assumedPodTtl how long an assumed pod whose bind returned may go unobserved
 * @param schedulerName the {@code spec.schedulerName} of the pods this scheduler places (pods
 *     without one count as {@value DefaultProfile#SCHEDULER_NAME}'s)
 */
public record SchedulerConfig(
    String schedulerName,
    int parallelism,
    int percentageOfNodesToScore,
    Duration assumedPodTtl,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration maxUnschedulable) {

  public SchedulerConfig {
    if (schedulerName == null || schedulerName.isBlank()) {
      throw new IllegalArgumentException("schedulerName must not be empty");
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
    }
    if (percentageOfNodesToScore < 0 || percentageOfNodesToScore > 100) {
      throw new IllegalArgumentException(
          "percentageOfNodesToScore must be within [0, 100], got " + percentageOfNodesToScore);
    }
  }

  public static SchedulerConfig defaults() {
    return new SchedulerConfig(
        DefaultProfile.SCHEDULER_NAME,
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        0,
        Duration.ofMinutes(15),
        SchedulingQueue.DEFAULT_INITIAL_BACKOFF,
        SchedulingQueue.DEFAULT_MAX_BACKOFF,
        SchedulingQueue.DEFAULT_MAX_UNSCHEDULABLE);
  }

  /** The defaults with upstream's tunables except those given. */
  public SchedulerConfig(
      int parallelism,
      int percentageOfNodesToScore,
      Duration assumedPodTtl,
      Duration initialBackoff,
      Duration maxBackoff,
      Duration maxUnschedulable) {
    this(
        DefaultProfile.SCHEDULER_NAME,
        parallelism,
        percentageOfNodesToScore,
        assumedPodTtl,
        initialBackoff,
        maxBackoff,
        maxUnschedulable);
  }

  public SchedulerConfig withParallelism(int p) {
    return new SchedulerConfig(
        schedulerName,
        p,
        percentageOfNodesToScore,
        assumedPodTtl,
        initialBackoff,
        maxBackoff,
        maxUnschedulable);
  }

  public SchedulerConfig withSchedulerName(String name) {
    return new SchedulerConfig(
        name,
        parallelism,
        percentageOfNodesToScore,
        assumedPodTtl,
        initialBackoff,
        maxBackoff,
        maxUnschedulable);
  }
}
