package io.flotilla.scheduler.framework;

import java.util.List;

/**
 * Runs once per cycle over the feasible nodes before scoring; may return {@link Status#skip()} to
 * have this plugin's Score skipped for the pod. Called on the scheduling thread.
 */
public interface PreScorePlugin extends Plugin {
  Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasibleNodes);
}
