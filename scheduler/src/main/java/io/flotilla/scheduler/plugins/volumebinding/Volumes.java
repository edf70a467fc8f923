package io.flotilla.scheduler.plugins.volumebinding;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * What VolumeBinding reads and writes of the cluster's storage objects. The reads come from caches
 * and must not block (they are called on the scheduling thread); the writes are called on the
 * binding executor and may block.
 */
public interface Volumes {
  /** The claim, or null when it does not exist. */
  PersistentVolumeClaim claim(String namespace, String name);

  /** The volume, or null. */
  PersistentVolume volume(String name);

  /** Every PersistentVolume (a cache's view; callers must not modify them). */
  Collection<PersistentVolume> volumes();

  /** The StorageClass, or null. */
  StorageClass storageClass(String name);

  /**
   * Writes {@code volume.kubernetes.io/selected-node} on the claim, so its class's provisioner
   * creates the volume there. Idempotent; throws when the API server refuses.
   */
  void selectNode(PersistentVolumeClaim claim, String nodeName) throws Exception;

  /**
   * Binds an existing unbound volume to the claim the way the binder does (claimRef with the
   * claim's uid, {@code pv.kubernetes.io/bound-by-controller}); the binder completes the claim's
   * side. Throws when the API server refuses (the volume changed meanwhile).
   */
  void bindVolume(PersistentVolume volume, PersistentVolumeClaim claim) throws Exception;

  /**
   * Blocks until the claim is bound (phase Bound with a volume name) or {@code timeout} passed;
   * returns whether it is bound.
   */
  boolean awaitBound(String namespace, String name, Duration timeout) throws InterruptedException;

  /** A cluster without storage objects: every claim is missing. */
  Volumes NONE =
      new Volumes() {
        @Override
        public PersistentVolumeClaim claim(String namespace, String name) {
          return null;
        }

        @Override
        public PersistentVolume volume(String name) {
          return null;
        }

        @Override
        public Collection<PersistentVolume> volumes() {
          return List.of();
        }

        @Override
        public StorageClass storageClass(String name) {
          return null;
        }

        @Override
        public void bindVolume(PersistentVolume volume, PersistentVolumeClaim claim) {}

        @Override
        public void selectNode(PersistentVolumeClaim claim, String nodeName) {}

        @Override
        public boolean awaitBound(String namespace, String name, Duration timeout) {
          return false;
        }
      };
}
