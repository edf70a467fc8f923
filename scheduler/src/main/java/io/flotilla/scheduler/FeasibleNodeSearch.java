package io.flotilla.scheduler;

import io.flotilla.scheduler.framework.Code;
import io.flotilla.scheduler.framework.CycleState;
import io.flotilla.scheduler.framework.Diagnosis;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the Filter plugins over the snapshot's nodes in parallel, starting where the previous cycle
 * stopped (so every node gets its turn) and stopping once enough feasible nodes are found.
 * Rejections are recorded per node for the failure message and for preemption.
 */
final class FeasibleNodeSearch {
  private FeasibleNodeSearch() {}

  static List<NodeInfo> run(Scheduler s, CycleState state, PodInfo pod, Diagnosis diagnosis) {
    List<NodeInfo> nodes = s.snapshot().list();
    int n = nodes.size();
    int wanted = s.numFeasibleNodesToFind(n);
    int start = s.nextStartNodeIndex() % n;
    NodeInfo[] feasible = new NodeInfo[wanted];
    Status[] rejected = new Status[n];
    AtomicInteger found = new AtomicInteger();
    s.parallelizer()
        .until(
            n,
            i -> {
              NodeInfo node = nodes.get((start + i) % n);
              Status st = s.runtime().runFilterPluginsWithNominatedPods(state, pod, node);
              if (st.isSuccess()) {
                int k = found.incrementAndGet();
                if (k > wanted) {
                  found.decrementAndGet();
                } else {
                  feasible[k - 1] = node;
                }
              } else {
                rejected[i] = st;
              }
            },
            () -> found.get() >= wanted);
    int processed = found.get();
    for (int i = 0; i < n; i++) {
      Status st = rejected[i];
      if (st == null) {
        continue;
      }
      if (st.code() == Code.ERROR) {
        throw new IllegalStateException("Filter " + st.plugin() + ": " + st.message());
      }
      processed++;
      diagnosis.nodeToStatus().put(nodes.get((start + i) % n).name(), st);
      diagnosis.unschedulablePlugins().add(st.plugin());
    }
    s.setNextStartNodeIndex((start + processed) % n);
    int k = found.get();
    return k == 0 ? List.of() : new ArrayList<>(Arrays.asList(feasible).subList(0, k));
  }
}
