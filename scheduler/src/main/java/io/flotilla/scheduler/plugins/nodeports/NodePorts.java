package io.flotilla.scheduler.plugins.nodeports;

import io.flotilla.scheduler.framework.ClusterEvent;
import io.flotilla.scheduler.framework.CycleState;
import io.flotilla.scheduler.framework.EnqueueExtensions;
import io.flotilla.scheduler.framework.FilterPlugin;
import io.flotilla.scheduler.framework.HostPort;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.NodeInfoLister;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.PreFilterPlugin;
import io.flotilla.scheduler.framework.Status;
import java.util.List;

/**
 * Keeps a pod off nodes where one of its host ports (protocol, IP, port) is taken; 0.0.0.0 clashes
 * with every address. Pods without host ports skip the filter.
 */
public final class NodePorts implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  public static final String NAME = "NodePorts";
  public static final String ERR_REASON =
      "node(s) didn't have free ports for the requested pod ports";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status preFilter(CycleState state, PodInfo pod, NodeInfoLister nodes) {
    return pod.hostPorts().isEmpty() ? Status.skip() : Status.success();
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    for (HostPort want : pod.hostPorts()) {
      for (HostPort used : node.usedPorts()) {
        if (want.conflictsWith(used)) {
          return Status.unschedulable(ERR_REASON);
        }
      }
    }
    return Status.success();
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(
        ClusterEvent.of(ClusterEvent.EventResource.ASSIGNED_POD, ClusterEvent.DELETE),
        ClusterEvent.of(ClusterEvent.EventResource.NODE, ClusterEvent.ADD));
  }
}
