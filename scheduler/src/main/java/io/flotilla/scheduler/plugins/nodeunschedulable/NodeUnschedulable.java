package io.flotilla.scheduler.plugins.nodeunschedulable;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.flotilla.scheduler.framework.ClusterEvent;
import io.flotilla.scheduler.framework.CycleState;
import io.flotilla.scheduler.framework.EnqueueExtensions;
import io.flotilla.scheduler.framework.FilterPlugin;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.Status;
import io.flotilla.scheduler.framework.Tolerations;
import java.util.List;

/**
 * Keeps pods off cordoned nodes (spec.unschedulable), unless they tolerate the
 * node.kubernetes.io/unschedulable:NoSchedule taint that cordoning implies.
 */
public final class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {
  public static final String NAME = "NodeUnschedulable";
  public static final String ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable";
  public static final String TAINT_KEY = "node.kubernetes.io/unschedulable";

  private static final Taint UNSCHEDULABLE_TAINT =
      new TaintBuilder().withKey(TAINT_KEY).withEffect("NoSchedule").build();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    var spec = node.node().getSpec();
    if (spec == null || !Boolean.TRUE.equals(spec.getUnschedulable())) {
      return Status.success();
    }
    if (Tolerations.tolerates(pod.pod().getSpec().getTolerations(), UNSCHEDULABLE_TAINT)) {
      return Status.success();
    }
    return Status.unresolvable(ERR_REASON_UNSCHEDULABLE);
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(
        ClusterEvent.of(
            ClusterEvent.EventResource.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_TAINT));
  }
}
