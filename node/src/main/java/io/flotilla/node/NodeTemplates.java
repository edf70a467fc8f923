package io.flotilla.node;

import io.fabric8.kubernetes.api.model.NodeCondition;
import java.time.Instant;
import java.util.List;

/** What any agent's Node template shares: the version it claims and healthy conditions. */
public final class NodeTemplates {
  private NodeTemplates() {}

  /** nodeInfo.kubeletVersion: the Kubernetes level Flotilla's API serves. */
  public static final String KUBELET_VERSION = "v1.32.0";

  /** The four conditions, healthy, as of {@code now}. */
  public static List<NodeCondition> healthyConditions(Instant now) {
    return NodeConditions.initial(now);
  }
}
