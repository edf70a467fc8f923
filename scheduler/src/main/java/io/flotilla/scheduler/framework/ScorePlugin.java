package io.flotilla.scheduler.framework;

/**
 * Ranks one feasible node; higher is better. Called concurrently for different nodes, so it must
 * only read. The raw score must lie in [0, {@link NodeScores#MAX_NODE_SCORE}] unless the plugin's
 * {@link #scoreExtensions()} normalizes it. A failure is reported by throwing; the runtime turns it
 * into an Error status for the pod.
 */
public interface ScorePlugin extends Plugin {
  long score(CycleState state, PodInfo pod, NodeInfo node);

  /** The normalization step, or null when raw scores are already in range. */
  default ScoreExtensions scoreExtensions() {
    return null;
  }
}
