package io.flotilla.scheduler.framework;

/**
 * Runs once per scheduling cycle before any Filter: precomputes what Filter needs (into the
 * CycleState) or rejects the pod outright. Called on the scheduling thread.
 *
 * <p>Returns success, {@link Status#skip()} (the plugin's Filter is then not called for this pod),
 * a rejection (the pod is unschedulable on every node) or an error.
 */
public interface PreFilterPlugin extends Plugin {
  Status preFilter(CycleState state, PodInfo pod, NodeInfoLister nodes);

  /**
   * How this plugin's precomputed state follows a pod added to or removed from a node, for
   * preemption's what-if runs and nominated pods; null when the state does not depend on other
   * pods.
   */
  default PreFilterExtensions preFilterExtensions() {
    return null;
  }
}
