package io.flotilla.scheduler.plugins.prioritysort;

import io.flotilla.scheduler.framework.QueueSortPlugin;
import io.flotilla.scheduler.framework.QueuedPodInfo;

/** Orders the active queue by pod priority (higher first), then by time queued (older first). */
public final class PrioritySort implements QueueSortPlugin {
  public static final String NAME = "PrioritySort";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean less(QueuedPodInfo a, QueuedPodInfo b) {
    int pa = a.podInfo().priority();
    int pb = b.podInfo().priority();
    return pa > pb || (pa == pb && a.timestamp().isBefore(b.timestamp()));
  }
}
