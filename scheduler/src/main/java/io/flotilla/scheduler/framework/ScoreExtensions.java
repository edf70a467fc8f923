package io.flotilla.scheduler.framework;

import java.util.List;

/** Rescales one plugin's raw scores (aligned with {@code nodes}) into [0, 100], in place. */
public interface ScoreExtensions {
  Status normalizeScore(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores);
}
