package io.flotilla.scheduler.framework;

import java.util.List;

/** The nodes of the current cycle's snapshot. Read-only for plugins. */
public interface NodeInfoLister {
  List<NodeInfo> list();

  /** The node named {@code name}, or null. */
  NodeInfo get(String name);

  /** Nodes with at least one pod that has any pod (anti-)affinity. */
  List<NodeInfo> havePodsWithAffinity();

  /** Nodes with at least one pod that has required pod anti-affinity. */
  List<NodeInfo> havePodsWithRequiredAntiAffinity();

  NamespaceLabels namespaceLabels();
}
