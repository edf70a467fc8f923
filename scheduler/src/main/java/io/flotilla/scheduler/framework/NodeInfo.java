package io.flotilla.scheduler.framework;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * A node and the pods the scheduler believes run on it, with their sums kept up to date so that
 * filters and scores are O(1) per node.
 *
 * <p>Threading: the cache mutates its own NodeInfos under its lock; a snapshot holds copies that
 * only the scheduling thread changes between cycles and plugins only read during a cycle.
 * Preemption works on further copies.
 */
public final class NodeInfo {
  private Node node;
  private String name;
  private Map<String, String> labels = Map.of();
  private List<Taint> taints = List.of();
  private final ArrayList<PodInfo> pods;
  private final ArrayList<PodInfo> podsWithAffinity;
  private final ArrayList<PodInfo> podsWithRequiredAntiAffinity;
  private final ArrayList<HostPort> usedPorts;
  private Resource allocatable = new Resource();
  private final Resource requested;
  private final Resource nonZeroRequested;
  private long generation;
  private HashMap<Object, Integer> countCache;

  public NodeInfo() {
    this.pods = new ArrayList<>();
    this.podsWithAffinity = new ArrayList<>(0);
    this.podsWithRequiredAntiAffinity = new ArrayList<>(0);
    this.usedPorts = new ArrayList<>(0);
    this.requested = new Resource();
    this.nonZeroRequested = new Resource();
  }

  private NodeInfo(NodeInfo o) {
    this.node = o.node;
    this.name = o.name;
    this.labels = o.labels;
    this.taints = o.taints;
    this.pods = new ArrayList<>(o.pods);
    this.podsWithAffinity = new ArrayList<>(o.podsWithAffinity);
    this.podsWithRequiredAntiAffinity = new ArrayList<>(o.podsWithRequiredAntiAffinity);
    this.usedPorts = new ArrayList<>(o.usedPorts);
    this.allocatable = o.allocatable;
    this.requested = o.requested.copy();
    this.nonZeroRequested = o.nonZeroRequested.copy();
    this.generation = o.generation;
  }

  /** A NodeInfo holding {@code node} and no pods. */
  public static NodeInfo of(Node node, PodInfo... pods) {
    NodeInfo n = new NodeInfo();
    n.setNode(node);
    for (PodInfo p : pods) {
      n.addPod(p);
    }
    return n;
  }

  /** A copy whose pod lists and sums can change without touching this one. */
  public NodeInfo copy() {
    return new NodeInfo(this);
  }

  /** Makes this NodeInfo equal to {@code o} in place, so lists holding it stay valid. */
  public void copyFrom(NodeInfo o) {
    countCache = null;
    this.node = o.node;
    this.name = o.name;
    this.labels = o.labels;
    this.taints = o.taints;
    replace(pods, o.pods);
    replace(podsWithAffinity, o.podsWithAffinity);
    replace(podsWithRequiredAntiAffinity, o.podsWithRequiredAntiAffinity);
    usedPorts.clear();
    usedPorts.addAll(o.usedPorts);
    this.allocatable = o.allocatable;
    this.requested.subtract(this.requested.copy());
    this.requested.add(o.requested);
    this.nonZeroRequested.subtract(this.nonZeroRequested.copy());
    this.nonZeroRequested.add(o.nonZeroRequested);
    this.generation = o.generation;
  }

  private static void replace(ArrayList<PodInfo> into, List<PodInfo> from) {
    into.clear();
    into.addAll(from);
  }

  /** Forgets the node object (the node was deleted) while pods still refer to it. */
  public void clearNode() {
    countCache = null;
    this.node = null;
  }

  public void setNode(Node node) {
    countCache = null;
    this.node = node;
    this.name = node.getMetadata().getName();
    Map<String, String> l = node.getMetadata().getLabels();
    this.labels = l == null ? Map.of() : l;
    List<Taint> t = node.getSpec() == null ? null : node.getSpec().getTaints();
    this.taints = t == null ? List.of() : t;
    this.allocatable =
        Resource.of(node.getStatus() == null ? null : node.getStatus().getAllocatable());
  }

  public void addPod(PodInfo pod) {
    countCache = null;
    pods.add(pod);
    if (pod.hasAffinity()) {
      podsWithAffinity.add(pod);
    }
    if (!pod.requiredAntiAffinity().isEmpty()) {
      podsWithRequiredAntiAffinity.add(pod);
    }
    usedPorts.addAll(pod.hostPorts());
    requested.add(pod.requests());
    nonZeroRequested.add(pod.nonZeroRequests());
  }

  /** Removes the pod with {@code pod}'s key; false when it is not on this node. */
  public boolean removePod(PodInfo pod) {
    countCache = null;
    int i = indexOf(pods, pod.key());
    if (i < 0) {
      return false;
    }
    PodInfo removed = pods.remove(i);
    int j = indexOf(podsWithAffinity, pod.key());
    if (j >= 0) {
      podsWithAffinity.remove(j);
    }
    j = indexOf(podsWithRequiredAntiAffinity, pod.key());
    if (j >= 0) {
      podsWithRequiredAntiAffinity.remove(j);
    }
    for (HostPort p : removed.hostPorts()) {
      usedPorts.remove(p);
    }
    requested.subtract(removed.requests());
    nonZeroRequested.subtract(removed.nonZeroRequests());
    return true;
  }

  private static int indexOf(List<PodInfo> list, String key) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).key().equals(key)) {
        return i;
      }
    }
    return -1;
  }

  public Node node() {
    return node;
  }

  public String name() {
    return name;
  }

  public Map<String, String> labels() {
    return labels;
  }

  public List<Taint> taints() {
    return taints;
  }

  public List<PodInfo> pods() {
    return pods;
  }

  public List<PodInfo> podsWithAffinity() {
    return podsWithAffinity;
  }

  public List<PodInfo> podsWithRequiredAntiAffinity() {
    return podsWithRequiredAntiAffinity;
  }

  public List<HostPort> usedPorts() {
    return usedPorts;
  }

  public Resource allocatable() {
    return allocatable;
  }

  public Resource requested() {
    return requested;
  }

  public Resource nonZeroRequested() {
    return nonZeroRequested;
  }

  /**
   * A count over this node's pods memoized under {@code key} until the pods change, so that
   * per-cycle scans (topology spread counting the same selector for every replica) touch each
   * unchanged node in O(1). Not thread-safe: callers partition nodes among threads, as the
   * runtime's parallel loops do.
   */
  public int cachedCount(Object key, ToIntFunction<NodeInfo> count) {
    if (countCache == null) {
      countCache = new HashMap<>(4);
    } else if (countCache.size() >= 32) {
      countCache.clear();
    }
    Integer n = countCache.get(key);
    if (n == null) {
      n = count.applyAsInt(this);
      countCache.put(key, n);
    }
    return n;
  }

  /** Raised by the cache on every change, so a snapshot copies only what changed. */
  public long generation() {
    return generation;
  }

  public void setGeneration(long generation) {
    this.generation = generation;
  }

  @Override
  public String toString() {
    return "NodeInfo{" + name + ", pods=" + pods.size() + "}";
  }
}
