package io.flotilla.scheduler.testutil;

import io.flotilla.scheduler.cache.Snapshot;
import io.flotilla.scheduler.framework.CycleState;
import io.flotilla.scheduler.framework.Handle;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.NodeInfoLister;
import io.flotilla.scheduler.framework.Nominator;
import io.flotilla.scheduler.framework.Parallelizer;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.Status;
import io.flotilla.scheduler.queue.PodNominator;
import java.time.Clock;

/** A Handle over a fixed snapshot for plugin tests; no filters, runs inline. */
public class TestHandle implements Handle {
  private final Snapshot snapshot;
  private final Parallelizer parallelizer = new Parallelizer(1);
  private final PodNominator nominator = new PodNominator();

  public TestHandle(Snapshot snapshot) {
    this.snapshot = snapshot;
  }

  @Override
  public NodeInfoLister snapshot() {
    return snapshot;
  }

  @Override
  public Nominator nominator() {
    return nominator;
  }

  @Override
  public Parallelizer parallelizer() {
    return parallelizer;
  }

  @Override
  public Clock clock() {
    return Clock.systemUTC();
  }

  @Override
  public Status runFilterPluginsWithNominatedPods(CycleState s, PodInfo pod, NodeInfo node) {
    return Status.success();
  }

  @Override
  public Status runPreFilterExtensionAddPod(CycleState s, PodInfo p, PodInfo a, NodeInfo n) {
    return Status.success();
  }

  @Override
  public Status runPreFilterExtensionRemovePod(CycleState s, PodInfo p, PodInfo r, NodeInfo n) {
    return Status.success();
  }
}
