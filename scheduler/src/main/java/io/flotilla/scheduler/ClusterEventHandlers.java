package io.flotilla.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.flotilla.scheduler.cache.SchedulerCache;
import io.flotilla.scheduler.framework.ClusterEvent;
import io.flotilla.scheduler.framework.ClusterEvent.EventResource;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.profile.DefaultProfile;
import io.flotilla.scheduler.queue.SchedulingQueue;
import java.util.Map;
import java.util.Objects;

/**
 * Where informers deliver changes: bound pods and nodes go to the cache, pending pods of this
 * scheduler to the queue, and each change is turned into the ClusterEvent that may let
 * unschedulable pods retry. Handlers only record; they never schedule. Thread-safe.
 */
public final class ClusterEventHandlers {
  private final SchedulerCache cache;
  private final SchedulingQueue queue;
  private final String schedulerName;

  ClusterEventHandlers(SchedulerCache cache, SchedulingQueue queue, String schedulerName) {
    this.cache = cache;
    this.queue = queue;
    this.schedulerName = schedulerName;
  }

  public void onNodeAdd(Node node) {
    cache.addNode(node);
    queue.moveAllToActiveOrBackoffQueue(ClusterEvent.NODE_ADD);
  }

  public void onNodeUpdate(Node oldNode, Node newNode) {
    cache.updateNode(newNode);
    int actions = nodeActions(oldNode, newNode);
    if (actions != 0) {
      queue.moveAllToActiveOrBackoffQueue(ClusterEvent.of(EventResource.NODE, actions));
    }
  }

  public void onNodeDelete(Node node) {
    cache.removeNode(node.getMetadata().getName());
  }

  public void onPodAdd(Pod pod) {
    PodInfo info = PodInfo.of(pod);
    if (isAssigned(pod)) {
      cache.addPod(info);
      queue.moveAllToActiveOrBackoffQueue(ClusterEvent.ASSIGNED_POD_ADD);
    } else if (isOurs(pod) && !isDeleting(pod)) {
      queue.add(info);
    }
  }

  public void onPodUpdate(Pod oldPod, Pod newPod) {
    PodInfo info = PodInfo.of(newPod);
    if (isAssigned(newPod)) {
      if (!isAssigned(oldPod)) {
        queue.delete(info); // bound: by us (confirming the assumed pod) or by someone else
      }
      cache.updatePod(info);
      int actions =
          Objects.equals(oldPod.getMetadata().getLabels(), newPod.getMetadata().getLabels())
              ? ClusterEvent.UPDATE_OTHER
              : ClusterEvent.UPDATE_POD_LABEL;
      queue.moveAllToActiveOrBackoffQueue(ClusterEvent.of(EventResource.ASSIGNED_POD, actions));
    } else if (isDeleting(newPod) || !isOurs(newPod)) {
      // Being deleted, or handed to another scheduler: nothing left for this one to place.
      queue.delete(info);
    } else {
      boolean changed =
          !Objects.equals(oldPod.getSpec(), newPod.getSpec())
              || !Objects.equals(
                  oldPod.getMetadata().getLabels(), newPod.getMetadata().getLabels());
      queue.update(info, changed);
    }
  }

  public void onPodDelete(Pod pod) {
    PodInfo info = PodInfo.of(pod);
    if (isAssigned(pod)) {
      cache.removePod(info);
      queue.moveAllToActiveOrBackoffQueue(ClusterEvent.ASSIGNED_POD_DELETE);
    } else {
      queue.delete(info);
    }
  }

  /** Namespace labels for namespaceSelectors; null labels forget the namespace. */
  public void onNamespace(String name, Map<String, String> labels) {
    cache.setNamespaceLabels(name, labels);
    queue.moveAllToActiveOrBackoffQueue(ClusterEvent.of(EventResource.NAMESPACE, ClusterEvent.ALL));
  }

  /**
   * A storage object changed (a claim, a volume, a StorageClass): pods waiting on the VolumeBinding
   * plugin may fit now.
   */
  public void onStorageEvent(ClusterEvent event) {
    queue.moveAllToActiveOrBackoffQueue(event);
  }

  private static boolean isAssigned(Pod pod) {
    String n = pod.getSpec().getNodeName();
    return n != null && !n.isEmpty();
  }

  /** Pods naming this scheduler; pods naming none are the default scheduler's, as defaulted. */
  private boolean isOurs(Pod pod) {
    String s = pod.getSpec().getSchedulerName();
    if (s == null || s.isEmpty()) {
      s = DefaultProfile.SCHEDULER_NAME;
    }
    return schedulerName.equals(s);
  }

  private static boolean isDeleting(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  private static int nodeActions(Node a, Node b) {
    int actions = 0;
    if (!Objects.equals(a.getMetadata().getLabels(), b.getMetadata().getLabels())) {
      actions |= ClusterEvent.UPDATE_NODE_LABEL;
    }
    if (!Objects.equals(a.getSpec().getTaints(), b.getSpec().getTaints())
        || !Objects.equals(a.getSpec().getUnschedulable(), b.getSpec().getUnschedulable())) {
      actions |= ClusterEvent.UPDATE_NODE_TAINT;
    }
    if (a.getStatus() != null && b.getStatus() != null) {
      if (!Objects.equals(a.getStatus().getAllocatable(), b.getStatus().getAllocatable())) {
        actions |= ClusterEvent.UPDATE_NODE_ALLOCATABLE;
      }
      if (!Objects.equals(a.getStatus().getConditions(), b.getStatus().getConditions())) {
        actions |= ClusterEvent.UPDATE_NODE_CONDITION;
      }
    }
    return actions;
  }
}
