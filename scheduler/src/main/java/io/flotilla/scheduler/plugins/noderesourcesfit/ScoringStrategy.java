package io.flotilla.scheduler.plugins.noderesourcesfit;

/** How NodeResourcesFit ranks nodes that fit. */
public enum ScoringStrategy {
  /** Prefer emptier nodes: spreads load (the default). */
  LEAST_ALLOCATED,
  /** Prefer fuller nodes: packs pods, leaving whole nodes free. */
  MOST_ALLOCATED
}
