package io.flotilla.scheduler.cache;

import io.flotilla.scheduler.framework.NamespaceLabels;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.NodeInfoLister;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster as one scheduling cycle sees it: copies of the cache's NodeInfos, refreshed
 * incrementally by {@link SchedulerCache#updateSnapshot} (only nodes whose generation is newer than
 * the snapshot's are copied).
 *
 * <p>Threading: owned by the scheduling thread; plugins read it during the cycle.
 */
public final class Snapshot implements NodeInfoLister {
  final Map<String, NodeInfo> nodeInfoMap = new HashMap<>();
  final ArrayList<NodeInfo> nodeInfoList = new ArrayList<>();
  final ArrayList<NodeInfo> havePodsWithAffinity = new ArrayList<>();
  final ArrayList<NodeInfo> havePodsWithRequiredAntiAffinity = new ArrayList<>();
  Map<String, Map<String, String>> namespaceLabels = Map.of();
  long namespacesVersion = -1;
  long nodeSetVersionSeen = -1;
  long generation;

  @Override
  public List<NodeInfo> list() {
    return nodeInfoList;
  }

  @Override
  public NodeInfo get(String name) {
    return nodeInfoMap.get(name);
  }

  @Override
  public List<NodeInfo> havePodsWithAffinity() {
    return havePodsWithAffinity;
  }

  @Override
  public List<NodeInfo> havePodsWithRequiredAntiAffinity() {
    return havePodsWithRequiredAntiAffinity;
  }

  @Override
  public NamespaceLabels namespaceLabels() {
    Map<String, Map<String, String>> labels = namespaceLabels;
    return ns -> labels.getOrDefault(ns, Map.of());
  }

  public int numNodes() {
    return nodeInfoList.size();
  }

  /** The generation of the newest change this snapshot reflects. */
  public long generation() {
    return generation;
  }

  /** A snapshot of fixed nodes, for plugin tests. */
  public static Snapshot of(List<NodeInfo> nodes) {
    return of(nodes, Map.of());
  }

  public static Snapshot of(List<NodeInfo> nodes, Map<String, Map<String, String>> nsLabels) {
    Snapshot s = new Snapshot();
    for (NodeInfo n : nodes) {
      s.nodeInfoMap.put(n.name(), n);
      s.nodeInfoList.add(n);
    }
    s.rebuildAffinityLists();
    s.namespaceLabels = new HashMap<>(nsLabels);
    return s;
  }

  void rebuildAffinityLists() {
    havePodsWithAffinity.clear();
    havePodsWithRequiredAntiAffinity.clear();
    for (NodeInfo n : nodeInfoList) {
      if (!n.podsWithAffinity().isEmpty()) {
        havePodsWithAffinity.add(n);
      }
      if (!n.podsWithRequiredAntiAffinity().isEmpty()) {
        havePodsWithRequiredAntiAffinity.add(n);
      }
    }
  }
}
