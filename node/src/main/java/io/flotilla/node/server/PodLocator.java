package io.flotilla.node.server;

import io.flotilla.node.LocatedPod;

/** Finds a pod the agent runs by namespace and name; null when it runs no such pod. */
@FunctionalInterface
public interface PodLocator {
  LocatedPod find(String namespace, String name);
}
