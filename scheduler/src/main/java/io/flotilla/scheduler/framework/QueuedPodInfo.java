package io.flotilla.scheduler.framework;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * A pod waiting in the scheduling queue, with its queueing history. Owned by the queue: only the
 * queue and the scheduling cycle that popped it change it.
 */
public final class QueuedPodInfo {
  private PodInfo podInfo;
  private Instant timestamp;
  private final Instant initialAttemptTimestamp;
  private int attempts;
  private final Set<String> unschedulablePlugins = new HashSet<>();

  public QueuedPodInfo(PodInfo podInfo, Instant timestamp) {
    this.podInfo = podInfo;
    this.timestamp = timestamp;
    this.initialAttemptTimestamp = timestamp;
  }

  public PodInfo podInfo() {
    return podInfo;
  }

  public void setPodInfo(PodInfo podInfo) {
    this.podInfo = podInfo;
  }

  /** When the pod was last added to the queue (PrioritySort's tie-breaker). */
  public Instant timestamp() {
    return timestamp;
  }

  public void setTimestamp(Instant timestamp) {
    this.timestamp = timestamp;
  }

  public Instant initialAttemptTimestamp() {
    return initialAttemptTimestamp;
  }

  /** How many scheduling cycles the pod has been through. */
  public int attempts() {
    return attempts;
  }

  public void incrementAttempts() {
    attempts++;
  }

  /** The plugins that rejected the pod in its last cycle: they decide which events move it. */
  public Set<String> unschedulablePlugins() {
    return unschedulablePlugins;
  }

  @Override
  public String toString() {
    return "QueuedPodInfo{" + podInfo.key() + ", attempts=" + attempts + "}";
  }
}
