package io.flotilla.scheduler.framework;

/**
 * Claims per-node state for the pod once a node is chosen, before binding. {@link #unreserve}
 * undoes it when a later step fails; it must be idempotent and is called in reverse order.
 */
public interface ReservePlugin extends Plugin {
  Status reserve(CycleState state, PodInfo pod, String nodeName);

  void unreserve(CycleState state, PodInfo pod, String nodeName);
}
