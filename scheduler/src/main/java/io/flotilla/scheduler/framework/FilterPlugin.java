package io.flotilla.scheduler.framework;

/**
 * Decides whether one node can run the pod. Called concurrently for different nodes from the
 * runtime's worker threads: implementations must only read the CycleState and the NodeInfo. Returns
 * success or a rejection with reasons; must stay O(1) or O(pods on the node).
 */
public interface FilterPlugin extends Plugin {
  Status filter(CycleState state, PodInfo pod, NodeInfo node);
}
