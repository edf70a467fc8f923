package io.flotilla.scheduler.framework;

/**
 * Binds the pod to the node (writes pods/binding). Runs off the scheduling thread. Returns {@link
 * Status#skip()} to leave the pod to the next bind plugin; the first non-skip result ends binding.
 */
public interface BindPlugin extends Plugin {
  Status bind(CycleState state, PodInfo pod, String nodeName);
}
