package io.flotilla.scheduler.framework;

/** The outcome class of one plugin call, as in the kube-scheduler framework. */
public enum Code {
  /** The plugin ran and found nothing wrong. */
  SUCCESS,
  /** An internal failure (a bug, missing state): the pod is retried with backoff. */
  ERROR,
  /** The node cannot take the pod now; preempting pods on it might change that. */
  UNSCHEDULABLE,
  /** The node cannot take the pod and preemption cannot help (labels, taints, node name). */
  UNSCHEDULABLE_AND_UNRESOLVABLE,
  /** A Permit plugin asks to wait (reserved for later; no default plugin returns it). */
  WAIT,
  /** PreFilter/PreScore: this plugin has nothing to do for the pod; skip its later calls. */
  SKIP
}
