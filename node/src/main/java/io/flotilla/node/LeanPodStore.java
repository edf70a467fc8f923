package io.flotilla.node;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The pod informer's store, cut to what the informer itself needs (each key's resourceVersion) and
 * to the pods bound to this agent's nodes: the agent keeps its own small {@link PodView} per pod,
 * so holding every full Pod twice would only cost memory (hundreds of MB at 300,000 pods).
 *
 * <p>Not a full-state store ({@link #isFullState()} is false): the informer then hands each pod of
 * its initial list to the handlers as it arrives, with the full object, rather than replaying the
 * cut-down copy from here after the list.
 *
 * <p>Threading: written by the informer's thread, read from any; backed by a concurrent map.
 */
final class LeanPodStore implements ItemStore<Pod> {
  private final ConcurrentHashMap<String, String> versions = new ConcurrentHashMap<>();
  private final Set<String> nodes;

  LeanPodStore(Set<String> nodes) {
    this.nodes = nodes;
  }

  @Override
  public String getKey(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  @Override
  public Pod put(String key, Pod pod) {
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    String old =
        node != null && nodes.contains(node)
            ? versions.put(key, pod.getMetadata().getResourceVersion())
            : versions.remove(key);
    return stub(key, old);
  }

  @Override
  public Pod remove(String key) {
    return stub(key, versions.remove(key));
  }

  @Override
  public Stream<String> keySet() {
    return versions.keySet().stream();
  }

  @Override
  public Stream<Pod> values() {
    return versions.entrySet().stream().map(e -> stub(e.getKey(), e.getValue()));
  }

  @Override
  public int size() {
    return versions.size();
  }

  @Override
  public Pod get(String key) {
    return stub(key, versions.get(key));
  }

  @Override
  public boolean isFullState() {
    return false;
  }

  /** A Pod with only namespace, name and resourceVersion, or null. */
  private static Pod stub(String key, String resourceVersion) {
    if (resourceVersion == null) {
      return null;
    }
    int slash = key.indexOf('/');
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(key.substring(0, slash))
        .withName(key.substring(slash + 1))
        .withResourceVersion(resourceVersion)
        .endMetadata()
        .build();
  }
}
