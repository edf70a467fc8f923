package io.flotilla.scheduler.testutil;

import io.flotilla.scheduler.cache.Snapshot;
import io.flotilla.scheduler.framework.CycleState;
import io.flotilla.scheduler.framework.FilterPlugin;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.PreFilterPlugin;
import io.flotilla.scheduler.framework.PreScorePlugin;
import io.flotilla.scheduler.framework.ScoreExtensions;
import io.flotilla.scheduler.framework.ScorePlugin;
import io.flotilla.scheduler.framework.Status;
import java.util.List;

/** Runs one plugin through its extension points the way the runtime would. */
public final class PluginHarness {
  private PluginHarness() {}

  /** PreFilter (if any), then Filter on {@code node}; a PreFilter skip means success. */
  public static Status filter(FilterPlugin plugin, PodInfo pod, Snapshot snapshot, String node) {
    CycleState state = new CycleState();
    if (plugin instanceof PreFilterPlugin pre) {
      Status s = pre.preFilter(state, pod, snapshot);
      if (s.isSkip()) {
        return Status.success();
      }
      if (!s.isSuccess()) {
        return s;
      }
    }
    return plugin.filter(state, pod, snapshot.get(node));
  }

  /** PreScore (if any), Score on every node, then normalization; null scores on a skip. */
  public static long[] score(ScorePlugin plugin, PodInfo pod, Snapshot snapshot) {
    CycleState state = new CycleState();
    List<NodeInfo> nodes = snapshot.list();
    if (plugin instanceof PreFilterPlugin pre) {
      pre.preFilter(state, pod, snapshot);
    }
    if (plugin instanceof PreScorePlugin pre) {
      Status s = pre.preScore(state, pod, nodes);
      if (s.isSkip()) {
        return null;
      }
    }
    long[] scores = new long[nodes.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = plugin.score(state, pod, nodes.get(i));
    }
    ScoreExtensions ext = plugin.scoreExtensions();
    if (ext != null) {
      ext.normalizeScore(state, pod, nodes, scores);
    }
    return scores;
  }
}
