package io.flotilla.controllers.replicaset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.flotilla.controllers.runtime.Controller;
import io.flotilla.controllers.runtime.Keys;
import io.flotilla.controllers.runtime.Pods;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns pod events into owner keys and expectation updates, as upstream's addPod / updatePod /
 * deletePod: a pod with a controller of our kind queues that owner (and counts as an observed
 * create or delete); an orphan queues every owner whose selector matches it, which may adopt it.
 * Runs on the informer thread; touches only the queue and the thread-safe expectations.
 */
final class PodEvents<T extends HasMetadata> implements ResourceEventHandler<Pod> {
  private final ReplicaSync<T> sync;
  private final Controller controller;

  PodEvents(ReplicaSync<T> sync, Controller controller) {
    this.sync = sync;
    this.controller = controller;
  }

  private Optional<String> ownerKey(Pod p) {
    Optional<OwnerReference> ref = Pods.controllerOf(p);
    if (ref.isEmpty() || !ref.get().getKind().equals(sync.kind().kind())) {
      return Optional.empty();
    }
    String key = Keys.of(p.getMetadata().getNamespace(), ref.get().getName());
    T owner = sync.owners.getStore().getByKey(key);
    if (owner == null || !owner.getMetadata().getUid().equals(ref.get().getUid())) {
      return Optional.empty();
    }
    return Optional.of(key);
  }

  private void enqueueMatchingOwners(Pod p) {
    for (T o :
        sync.owners.getIndexer().byIndex(Cache.NAMESPACE_INDEX, p.getMetadata().getNamespace())) {
      if (sync.kind().selects(o, p.getMetadata().getLabels())) {
        controller.enqueue(Keys.of(o));
      }
    }
  }

  @Override
  public void onAdd(Pod p) {
    if (p.getMetadata().getDeletionTimestamp() != null) {
      onDelete(p, false);
      return;
    }
    if (Pods.controllerOf(p).isPresent()) {
      ownerKey(p)
          .ifPresent(
              k -> {
                sync.expectations.creationObserved(k);
                controller.enqueue(k);
              });
      return;
    }
    enqueueMatchingOwners(p);
  }

  @Override
  public void onUpdate(Pod old, Pod p) {
    if (Objects.equals(
        old.getMetadata().getResourceVersion(), p.getMetadata().getResourceVersion())) {
      return; // a resync
    }
    if (p.getMetadata().getDeletionTimestamp() != null
        && old.getMetadata().getDeletionTimestamp() == null) {
      // Graceful deletion has begun: count it as the deletion we expect, as upstream does.
      ownerKey(p).ifPresent(k -> sync.expectations.deletionObserved(k, Keys.of(p)));
    }
    Optional<String> was = ownerKey(old);
    Optional<String> now = ownerKey(p);
    was.filter(k -> !now.equals(Optional.of(k))).ifPresent(controller::enqueue);
    now.ifPresent(controller::enqueue);
    boolean labelsChanged =
        !Objects.equals(old.getMetadata().getLabels(), p.getMetadata().getLabels());
    if (Pods.controllerOf(p).isEmpty() && (labelsChanged || Pods.controllerOf(old).isPresent())) {
      enqueueMatchingOwners(p);
    }
  }

  @Override
  public void onDelete(Pod p, boolean finalStateUnknown) {
    ownerKey(p)
        .ifPresent(
            k -> {
              sync.expectations.deletionObserved(k, Keys.of(p));
              controller.enqueue(k);
            });
  }
}
