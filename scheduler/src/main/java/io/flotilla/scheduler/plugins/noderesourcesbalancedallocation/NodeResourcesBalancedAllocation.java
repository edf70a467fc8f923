package io.flotilla.scheduler.plugins.noderesourcesbalancedallocation;

import io.flotilla.scheduler.framework.CycleState;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.NodeScores;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.Resource;
import io.flotilla.scheduler.framework.ScorePlugin;

/**
 * Prefers nodes whose cpu and memory would be used in the same proportion after placement: score =
 * (1 - standard deviation of the two utilization fractions) × 100. Uses the real requests (not the
 * defaults for containers without requests), as upstream does.
 */
public final class NodeResourcesBalancedAllocation implements ScorePlugin {
  public static final String NAME = "NodeResourcesBalancedAllocation";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    Resource alloc = node.allocatable();
    // A resource the node has none of is left out, as upstream does.
    if (alloc.milliCpu() == 0 || alloc.memory() == 0) {
      return NodeScores.MAX_NODE_SCORE;
    }
    double cpu =
        fraction(node.requested().milliCpu() + pod.requests().milliCpu(), alloc.milliCpu());
    double mem = fraction(node.requested().memory() + pod.requests().memory(), alloc.memory());
    // For two resources the standard deviation is half their difference.
    double std = Math.abs(cpu - mem) / 2;
    return (long) ((1 - std) * NodeScores.MAX_NODE_SCORE);
  }

  private static double fraction(long requested, long capacity) {
    return Math.min(1.0, (double) requested / capacity);
  }
}
