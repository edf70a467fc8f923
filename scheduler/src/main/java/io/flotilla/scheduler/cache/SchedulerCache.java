package io.flotilla.scheduler.cache;

import io.fabric8.kubernetes.api.model.Node;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.PodInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler's view of nodes and the pods on them, including pods it has assumed onto a node
 * before the binding is observed.
 *
 * <p>Lifecycle of a pod placed by this scheduler: {@link #assumePod} (Reserve) → {@link
 * #finishBinding} (bind call returned) → {@link #addPod} when the informer shows it bound
 * (confirmed). On a bind failure {@link #forgetPod}; if the binding is never observed, {@link
 * #cleanupExpiredAssumedPods} drops it after the TTL.
 *
 * <p>Every change bumps a generation and moves the node to the head of a recency list, so {@link
 * #updateSnapshot} copies only the nodes changed since the snapshot's generation: O(changed nodes),
 * not O(cluster), per cycle.
 *
 * <p>Threading: all methods are synchronized on the cache; informer threads and the scheduling
 * thread both call in.
 */
public final class SchedulerCache {

  private static final class NodeItem {
    final NodeInfo info = new NodeInfo();
    NodeItem prev;
    NodeItem next;
  }

  private record PodState(PodInfo pod, String nodeName, boolean assumed, Instant deadline) {}

  private final Clock clock;
  private final Duration assumedPodTtl;
  private final LinkedHashMap<String, NodeItem> nodes = new LinkedHashMap<>();
  private final Map<String, PodState> podStates = new HashMap<>();
  private final Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
  private NodeItem head;
  private long generation;
  private long nodeSetVersion;
  private long namespacesVersion;

  public SchedulerCache(Clock clock, Duration assumedPodTtl) {
    this.clock = clock;
    this.assumedPodTtl = assumedPodTtl;
  }

  // ---- nodes ----

  public synchronized void addNode(Node node) {
    NodeItem item = nodes.get(node.getMetadata().getName());
    if (item == null) {
      item = new NodeItem();
      nodes.put(node.getMetadata().getName(), item);
    }
    if (item.info.node() == null) {
      nodeSetVersion++;
    }
    item.info.setNode(node);
    touch(item);
  }

  public synchronized void updateNode(Node node) {
    addNode(node);
  }

  /** Forgets the node; its NodeInfo lives on without a node while pods still refer to it. */
  public synchronized void removeNode(String name) {
    NodeItem item = nodes.get(name);
    if (item == null || item.info.node() == null) {
      return;
    }
    item.info.clearNode();
    nodeSetVersion++;
    if (item.info.pods().isEmpty()) {
      unlink(item);
      nodes.remove(name);
    } else {
      touch(item);
    }
  }

  public synchronized void setNamespaceLabels(String namespace, Map<String, String> labels) {
    if (labels == null) {
      namespaceLabels.remove(namespace);
    } else {
      namespaceLabels.put(namespace, Map.copyOf(labels));
    }
    namespacesVersion++;
  }

  // ---- pods ----

  /** Reserve: counts {@code pod} on {@code nodeName} before the API server knows of it. */
  public synchronized void assumePod(PodInfo pod, String nodeName) {
    if (podStates.containsKey(pod.key())) {
      throw new IllegalStateException("pod " + pod.key() + " is in the cache, cannot assume it");
    }
    addToNode(pod, nodeName);
    podStates.put(pod.key(), new PodState(pod, nodeName, true, null));
  }

  /** The bind call returned: the assumed pod now expires unless its binding is observed. */
  public synchronized void finishBinding(PodInfo pod) {
    PodState s = podStates.get(pod.key());
    if (s != null && s.assumed()) {
      podStates.put(
          pod.key(),
          new PodState(s.pod(), s.nodeName(), true, clock.instant().plus(assumedPodTtl)));
    }
  }

  /** Undoes {@link #assumePod} after a failed bind. */
  public synchronized void forgetPod(PodInfo pod) {
    PodState s = podStates.get(pod.key());
    if (s == null) {
      return;
    }
    if (!s.assumed()) {
      throw new IllegalStateException(
          "pod " + pod.key() + " was added, not assumed: cannot forget");
    }
    removeFromNode(s.pod(), s.nodeName());
    podStates.remove(pod.key());
  }

  /** An informer saw {@code pod} bound to a node: confirms an assumed pod or adds a new one. */
  public synchronized void addPod(PodInfo pod) {
    String nodeName = pod.nodeName();
    if (nodeName == null || nodeName.isEmpty()) {
      throw new IllegalArgumentException("pod " + pod.key() + " has no spec.nodeName");
    }
    PodState s = podStates.get(pod.key());
    if (s != null) {
      removeFromNode(s.pod(), s.nodeName());
    }
    addToNode(pod, nodeName);
    podStates.put(pod.key(), new PodState(pod, nodeName, false, null));
  }

  public synchronized void updatePod(PodInfo pod) {
    addPod(pod);
  }

  public synchronized void removePod(PodInfo pod) {
    PodState s = podStates.remove(pod.key());
    if (s != null) {
      removeFromNode(s.pod(), s.nodeName());
    }
  }

  /** Drops assumed pods whose binding finished more than the TTL ago and was never observed. */
  public synchronized List<PodInfo> cleanupExpiredAssumedPods() {
    Instant now = clock.instant();
    List<PodInfo> expired = new ArrayList<>();
    for (PodState s : List.copyOf(podStates.values())) {
      if (s.assumed() && s.deadline() != null && !now.isBefore(s.deadline())) {
        removeFromNode(s.pod(), s.nodeName());
        podStates.remove(s.pod().key());
        expired.add(s.pod());
      }
    }
    return expired;
  }

  public synchronized boolean isAssumed(String podKey) {
    PodState s = podStates.get(podKey);
    return s != null && s.assumed();
  }

  /** The node the cache has {@code podKey} on, or null. */
  public synchronized String nodeOf(String podKey) {
    PodState s = podStates.get(podKey);
    return s == null ? null : s.nodeName();
  }

  public synchronized int podCount() {
    return podStates.size();
  }

  public synchronized int nodeCount() {
    int n = 0;
    for (NodeItem item : nodes.values()) {
      if (item.info.node() != null) {
        n++;
      }
    }
    return n;
  }

  // ---- snapshot ----

  /** Brings {@code snapshot} up to date, copying only NodeInfos changed since its generation. */
  public synchronized void updateSnapshot(Snapshot snapshot) {
    boolean rebuildLists = snapshot.nodeSetVersionSeen != nodeSetVersion;
    boolean rebuildAffinity = false;
    for (NodeItem item = head; item != null; item = item.next) {
      if (item.info.generation() <= snapshot.generation) {
        break;
      }
      if (item.info.node() == null) {
        continue;
      }
      NodeInfo existing = snapshot.nodeInfoMap.get(item.info.name());
      if (existing == null) {
        snapshot.nodeInfoMap.put(item.info.name(), item.info.copy());
        rebuildLists = true;
        continue;
      }
      rebuildAffinity |=
          existing.podsWithAffinity().isEmpty() != item.info.podsWithAffinity().isEmpty()
              || existing.podsWithRequiredAntiAffinity().isEmpty()
                  != item.info.podsWithRequiredAntiAffinity().isEmpty();
      existing.copyFrom(item.info);
    }
    if (head != null) {
      snapshot.generation = head.info.generation();
    }
    if (rebuildLists) {
      snapshot.nodeInfoList.clear();
      Map<String, NodeInfo> kept = new HashMap<>();
      for (Map.Entry<String, NodeItem> e : nodes.entrySet()) {
        NodeInfo copy = snapshot.nodeInfoMap.get(e.getKey());
        if (e.getValue().info.node() != null && copy != null) {
          snapshot.nodeInfoList.add(copy);
          kept.put(e.getKey(), copy);
        }
      }
      snapshot.nodeInfoMap.keySet().retainAll(kept.keySet());
      snapshot.nodeSetVersionSeen = nodeSetVersion;
      rebuildAffinity = true;
    }
    if (rebuildAffinity) {
      snapshot.rebuildAffinityLists();
    }
    if (snapshot.namespacesVersion != namespacesVersion) {
      snapshot.namespaceLabels = Map.copyOf(namespaceLabels);
      snapshot.namespacesVersion = namespacesVersion;
    }
  }

  // ---- internals ----

  private void addToNode(PodInfo pod, String nodeName) {
    NodeItem item = nodes.computeIfAbsent(nodeName, n -> new NodeItem());
    item.info.addPod(pod);
    touch(item);
  }

  private void removeFromNode(PodInfo pod, String nodeName) {
    NodeItem item = nodes.get(nodeName);
    if (item == null) {
      return;
    }
    item.info.removePod(pod);
    if (item.info.node() == null && item.info.pods().isEmpty()) {
      unlink(item);
      nodes.remove(nodeName);
    } else {
      touch(item);
    }
  }

  /** Marks a change: new generation, node to the head of the recency list. */
  private void touch(NodeItem item) {
    item.info.setGeneration(++generation);
    if (head == item) {
      return;
    }
    unlink(item);
    item.next = head;
    if (head != null) {
      head.prev = item;
    }
    head = item;
  }

  private void unlink(NodeItem item) {
    if (item.prev != null) {
      item.prev.next = item.next;
    }
    if (item.next != null) {
      item.next.prev = item.prev;
    }
    if (head == item) {
      head = item.next;
    }
    item.prev = null;
    item.next = null;
  }
}
