package io.flotilla.scheduler.client;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.flotilla.scheduler.ClusterEventHandlers;
import io.flotilla.scheduler.framework.ClusterEvent;
import io.flotilla.scheduler.framework.ClusterEvent.EventResource;
import io.flotilla.scheduler.plugins.volumebinding.VolumeBinding;
import io.flotilla.scheduler.plugins.volumebinding.Volumes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * {@link Volumes} over fabric8 informers on PersistentVolumeClaims, PersistentVolumes and
 * StorageClasses; their changes move pods the VolumeBinding plugin rejected back to the queue.
 *
 * <p>Threading: reads come from informer caches (any thread); {@link #awaitBound} waits on this
 * object's monitor, woken by every claim event; the deadline is read from the injected clock.
 */
final class ApiVolumes implements Volumes, AutoCloseable {
  private final KubernetesClient client;
  private final Clock clock;
  private final SharedIndexInformer<PersistentVolumeClaim> claims;
  private final SharedIndexInformer<PersistentVolume> volumes;
  private final SharedIndexInformer<StorageClass> classes;

  ApiVolumes(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.claims = client.persistentVolumeClaims().inAnyNamespace().runnableInformer(0);
    this.volumes = client.persistentVolumes().runnableInformer(0);
    this.classes = client.storage().v1().storageClasses().runnableInformer(0);
  }

  /** Registers the queue-moving handlers, starts the informers and waits until they listed. */
  void start(ClusterEventHandlers handlers, Duration timeout)
      throws InterruptedException, TimeoutException {
    claims.addEventHandler(
        handler(
            EventResource.PERSISTENT_VOLUME_CLAIM,
            handlers,
            c -> {
              synchronized (this) {
                notifyAll();
              }
            }));
    volumes.addEventHandler(handler(EventResource.PERSISTENT_VOLUME, handlers, v -> {}));
    classes.addEventHandler(handler(EventResource.STORAGE_CLASS, handlers, c -> {}));
    try {
      CompletableFuture.allOf(
              claims.start().toCompletableFuture(),
              volumes.start().toCompletableFuture(),
              classes.start().toCompletableFuture())
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot list and watch storage objects: " + e.getCause().getMessage(), e.getCause());
    }
  }

  private static <T> ResourceEventHandler<T> handler(
      EventResource resource, ClusterEventHandlers handlers, Consumer<T> also) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T o) {
        also.accept(o);
        handlers.onStorageEvent(ClusterEvent.of(resource, ClusterEvent.ADD));
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        also.accept(newObj);
        handlers.onStorageEvent(ClusterEvent.of(resource, ClusterEvent.UPDATE_OTHER));
      }

      @Override
      public void onDelete(T o, boolean unknown) {
        also.accept(o);
        handlers.onStorageEvent(ClusterEvent.of(resource, ClusterEvent.DELETE));
      }
    };
  }

  @Override
  public PersistentVolumeClaim claim(String namespace, String name) {
    return claims.getStore().getByKey(namespace + "/" + name);
  }

  @Override
  public PersistentVolume volume(String name) {
    return volumes.getStore().getByKey(name);
  }

  @Override
  public java.util.Collection<PersistentVolume> volumes() {
    return volumes.getStore().list();
  }

  @Override
  public void bindVolume(PersistentVolume volume, PersistentVolumeClaim claim) {
    PersistentVolume next =
        new io.fabric8.kubernetes.api.model.PersistentVolumeBuilder(volume)
            .editMetadata()
            .addToAnnotations("pv.kubernetes.io/bound-by-controller", "yes")
            .endMetadata()
            .editSpec()
            .withNewClaimRef()
            .withKind("PersistentVolumeClaim")
            .withApiVersion("v1")
            .withNamespace(claim.getMetadata().getNamespace())
            .withName(claim.getMetadata().getName())
            .withUid(claim.getMetadata().getUid())
            .withResourceVersion(claim.getMetadata().getResourceVersion())
            .endClaimRef()
            .endSpec()
            .build();
    // An update with the cached resourceVersion: a volume taken meanwhile fails with a conflict.
    client.persistentVolumes().resource(next).update();
  }

  @Override
  public StorageClass storageClass(String name) {
    return classes.getStore().getByKey(name);
  }

  @Override
  public void selectNode(PersistentVolumeClaim claim, String nodeName) {
    client
        .persistentVolumeClaims()
        .inNamespace(claim.getMetadata().getNamespace())
        .withName(claim.getMetadata().getName())
        .edit(
            c ->
                new PersistentVolumeClaimBuilder(c)
                    .editMetadata()
                    .addToAnnotations(VolumeBinding.SELECTED_NODE, nodeName)
                    .endMetadata()
                    .build());
  }

  @Override
  public synchronized boolean awaitBound(String namespace, String name, Duration timeout)
      throws InterruptedException {
    long deadline = clock.millis() + timeout.toMillis();
    while (true) {
      PersistentVolumeClaim c = claim(namespace, name);
      if (c != null
          && c.getStatus() != null
          && "Bound".equals(c.getStatus().getPhase())
          && c.getSpec().getVolumeName() != null) {
        return true;
      }
      long left = deadline - clock.millis();
      if (left <= 0) {
        return false;
      }
      // Woken by every claim event; the bound guards against a missed wake-up.
      wait(Math.min(left, 1000));
    }
  }

  @Override
  public void close() {
    for (SharedIndexInformer<?> i : List.of(claims, volumes, classes)) {
      i.stop();
    }
  }
}
