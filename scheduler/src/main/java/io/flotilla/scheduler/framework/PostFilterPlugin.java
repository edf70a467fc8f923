package io.flotilla.scheduler.framework;

import java.util.Map;

/**
 * Runs when no node passed the filters, to make room (preemption). Gets the status each node was
 * rejected with. A success result names the node the pod is nominated to.
 */
public interface PostFilterPlugin extends Plugin {
  PostFilterResult postFilter(CycleState state, PodInfo pod, Map<String, Status> nodeStatuses);
}
