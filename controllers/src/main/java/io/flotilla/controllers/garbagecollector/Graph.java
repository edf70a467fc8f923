package io.flotilla.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.flotilla.controllers.runtime.Discovery;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ownership graph upstream's GraphBuilder keeps: every object of every watched resource by UID,
 * its owner references, and for each UID the UIDs of the objects that name it as owner (its
 * dependents; an owner need not exist, so dangling references are found). Fed by informer events.
 * Thread-safe (monitor); returns copies.
 */
final class Graph {
  /** One object: where it lives, its owners, and whether it is being deleted (and how). */
  record Node(
      Discovery.Resource resource,
      String namespace,
      String name,
      String uid,
      List<OwnerReference> owners,
      boolean deleting,
      List<String> finalizers,
      String resourceVersion) {
    boolean has(String finalizer) {
      return finalizers.contains(finalizer);
    }
  }

  private final Map<String, Node> nodes = new HashMap<>();
  private final Map<String, Set<String>> dependents = new HashMap<>();

  synchronized Node get(String uid) {
    return nodes.get(uid);
  }

  /** Adds or replaces a node; returns the previous one, if any. */
  synchronized Node put(Node n) {
    Node old = nodes.put(n.uid(), n);
    if (old != null) {
      unlink(old);
    }
    for (OwnerReference r : n.owners()) {
      dependents.computeIfAbsent(r.getUid(), u -> new HashSet<>()).add(n.uid());
    }
    return old;
  }

  synchronized Node remove(String uid) {
    Node old = nodes.remove(uid);
    if (old != null) {
      unlink(old);
    }
    return old;
  }

  private void unlink(Node n) {
    for (OwnerReference r : n.owners()) {
      Set<String> d = dependents.get(r.getUid());
      if (d != null) {
        d.remove(n.uid());
        if (d.isEmpty()) {
          dependents.remove(r.getUid());
        }
      }
    }
  }

  /** The nodes that name {@code uid} as an owner. */
  synchronized List<Node> dependentsOf(String uid) {
    Set<String> d = dependents.get(uid);
    if (d == null) {
      return List.of();
    }
    return d.stream().map(nodes::get).filter(java.util.Objects::nonNull).toList();
  }

  /** Drops every node of a resource that is no longer served (a deleted CRD). */
  synchronized void removeResource(String resourceKey) {
    List<String> gone =
        nodes.values().stream()
            .filter(n -> n.resource().key().equals(resourceKey))
            .map(Node::uid)
            .toList();
    gone.forEach(this::remove);
  }

  synchronized int size() {
    return nodes.size();
  }

  /** Resolves what an owner reference names: the node with that UID, if watched. */
  synchronized Map<String, Node> snapshot(List<String> uids) {
    Map<String, Node> out = new HashMap<>();
    for (String u : uids) {
      Node n = nodes.get(u);
      if (n != null) {
        out.put(u, n);
      }
    }
    return out;
  }
}
