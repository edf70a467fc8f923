package io.flotilla.scheduler.plugins.nodename;

import io.flotilla.scheduler.framework.ClusterEvent;
import io.flotilla.scheduler.framework.CycleState;
import io.flotilla.scheduler.framework.EnqueueExtensions;
import io.flotilla.scheduler.framework.FilterPlugin;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.Status;
import java.util.List;

/** Keeps a pod that names its node (spec.nodeName) off every other node. */
public final class NodeName implements FilterPlugin, EnqueueExtensions {
  public static final String NAME = "NodeName";
  public static final String ERR_REASON = "node(s) didn't match the requested node name";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    String wanted = pod.nodeName();
    if (wanted == null || wanted.isEmpty() || wanted.equals(node.name())) {
      return Status.success();
    }
    return Status.unresolvable(ERR_REASON);
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(ClusterEvent.of(ClusterEvent.EventResource.NODE, ClusterEvent.ADD));
  }
}
