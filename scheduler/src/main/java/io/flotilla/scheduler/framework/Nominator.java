package io.flotilla.scheduler.framework;

import java.util.List;

/**
 * Pods that preemption has nominated to a node and that are waiting for the victims to leave.
 * Thread-safe: read by filter workers, written by the scheduling thread.
 */
public interface Nominator {
  void addNominatedPod(PodInfo pod, String nodeName);

  void deleteNominatedPodIfExists(PodInfo pod);

  /** The pods nominated to {@code nodeName}; a copy, empty when none. */
  List<PodInfo> nominatedPodsForNode(String nodeName);
}
