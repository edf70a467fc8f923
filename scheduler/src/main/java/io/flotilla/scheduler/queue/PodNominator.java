package io.flotilla.scheduler.queue;

import io.flotilla.scheduler.framework.Nominator;
import io.flotilla.scheduler.framework.PodInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pods nominated to nodes by preemption. Filter workers ask for every node they check, so the
 * common case (nobody nominated) answers from a volatile count without taking the lock.
 */
public final class PodNominator implements Nominator {
  private final Map<String, List<PodInfo>> byNode = new HashMap<>();
  private final Map<String, String> nodeOfPod = new HashMap<>();
  private volatile int size;

  @Override
  public synchronized void addNominatedPod(PodInfo pod, String nodeName) {
    deleteNominatedPodIfExists(pod);
    if (nodeName == null || nodeName.isEmpty()) {
      return;
    }
    byNode.computeIfAbsent(nodeName, n -> new ArrayList<>()).add(pod);
    nodeOfPod.put(pod.key(), nodeName);
    size = nodeOfPod.size();
  }

  @Override
  public synchronized void deleteNominatedPodIfExists(PodInfo pod) {
    String node = nodeOfPod.remove(pod.key());
    if (node == null) {
      return;
    }
    List<PodInfo> pods = byNode.get(node);
    pods.removeIf(p -> p.key().equals(pod.key()));
    if (pods.isEmpty()) {
      byNode.remove(node);
    }
    size = nodeOfPod.size();
  }

  @Override
  public List<PodInfo> nominatedPodsForNode(String nodeName) {
    if (size == 0) {
      return List.of();
    }
    synchronized (this) {
      List<PodInfo> pods = byNode.get(nodeName);
      return pods == null ? List.of() : List.copyOf(pods);
    }
  }

  /** The node {@code podKey} is nominated to, or null. */
  public synchronized String nominatedNode(String podKey) {
    return nodeOfPod.get(podKey);
  }
}
