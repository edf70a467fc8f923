package io.flotilla.scheduler.framework;

/**
 * Prepares what the binding needs before Bind (volumes bound to the chosen node). Runs off the
 * scheduling thread, on the binding executor, in profile order; may block (bounded by the plugin's
 * own timeout). A non-success status aborts the binding: Reserve is undone and the pod requeued.
 * Returns {@link Status#skip()} or success when it has nothing to do for the pod.
 */
public interface PreBindPlugin extends Plugin {
  Status preBind(CycleState state, PodInfo pod, String nodeName);
}
