package io.flotilla.scheduler.framework;

import java.time.Clock;

/** What the runtime offers plugins that need more than their arguments (preemption). */
public interface Handle {
  /** The snapshot of the cycle in progress. */
  NodeInfoLister snapshot();

  Nominator nominator();

  Parallelizer parallelizer();

  Clock clock();

  /** Runs every Filter, counting nominated pods of equal or higher priority as present. */
  Status runFilterPluginsWithNominatedPods(CycleState state, PodInfo pod, NodeInfo node);

  /** Tells each PreFilterExtensions that {@code podToAdd} now runs on {@code node}. */
  Status runPreFilterExtensionAddPod(
      CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node);

  /** Tells each PreFilterExtensions that {@code podToRemove} left {@code node}. */
  Status runPreFilterExtensionRemovePod(
      CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node);
}
