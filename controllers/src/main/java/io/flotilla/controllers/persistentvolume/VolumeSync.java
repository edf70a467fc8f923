package io.flotilla.controllers.persistentvolume;

import static io.flotilla.controllers.persistentvolume.VolumeAnnotations.BOUND_BY_CONTROLLER;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.flotilla.controllers.runtime.EventRecorder;
import io.flotilla.controllers.runtime.Keys;
import java.util.Objects;

/**
 * One volume's step of the binder (upstream's syncVolume): Available while no claim holds it, Bound
 * while its claim names it, Released once the claim is gone (confirmed by a live read, so a lagging
 * cache never releases a volume), then reclaimed: Delete removes the PersistentVolume (the node
 * agent removes a local-path directory no volume names any more), Retain keeps it, Recycle
 * (deprecated upstream) fails. Threading: called by the controller's workers.
 */
final class VolumeSync {
  private final KubernetesClient client;
  private final SharedIndexInformer<PersistentVolumeClaim> claims;
  private final SharedIndexInformer<PersistentVolume> volumes;
  private final EventRecorder events;

  VolumeSync(
      KubernetesClient client,
      SharedIndexInformer<PersistentVolumeClaim> claims,
      SharedIndexInformer<PersistentVolume> volumes,
      EventRecorder events) {
    this.client = client;
    this.claims = claims;
    this.volumes = volumes;
    this.events = events;
  }

  /** Syncs the volume; returns the key of a claim that should be synced next, or null. */
  String sync(String name) {
    PersistentVolume v = volumes.getStore().getByKey(name);
    if (v == null || v.getMetadata().getDeletionTimestamp() != null) {
      return null;
    }
    ObjectReference ref = v.getSpec().getClaimRef();
    if (ref == null) {
      setPhase(v, "Available");
      return null;
    }
    String claimKey = Keys.of(ref.getNamespace(), ref.getName());
    if (ref.getUid() == null || ref.getUid().isEmpty()) {
      // Pre-bound by name only: waits for that claim.
      setPhase(v, "Available");
      return claimKey;
    }
    PersistentVolumeClaim claim = claims.getStore().getByKey(claimKey);
    if (claim == null || !ref.getUid().equals(claim.getMetadata().getUid())) {
      claim = liveClaim(ref);
    }
    if (claim == null) {
      release(v);
      return null;
    }
    String bound = claim.getSpec().getVolumeName();
    if (bound == null || bound.isEmpty()) {
      // Binding in progress (or the claim lost its side): the claim's sync finishes it.
      return claimKey;
    }
    if (bound.equals(name)) {
      setPhase(v, "Bound");
      return null;
    }
    // The claim is bound to another volume: free this one.
    PersistentVolumeBuilder b = new PersistentVolumeBuilder(v);
    if (VolumeAnnotations.has(v, BOUND_BY_CONTROLLER)) {
      b.editMetadata().removeFromAnnotations(BOUND_BY_CONTROLLER).endMetadata();
      b.editSpec().withClaimRef(null).endSpec();
    } else {
      b.editSpec().editClaimRef().withUid("").endClaimRef().endSpec();
    }
    setPhase(client.persistentVolumes().resource(b.build()).update(), "Available");
    return null;
  }

  /** The claim the ref names as the API server has it now, when it still has that uid. */
  private PersistentVolumeClaim liveClaim(ObjectReference ref) {
    PersistentVolumeClaim live =
        client
            .persistentVolumeClaims()
            .inNamespace(ref.getNamespace())
            .withName(ref.getName())
            .get();
    if (live != null && Objects.equals(live.getMetadata().getUid(), ref.getUid())) {
      return live;
    }
    return null;
  }

  private void release(PersistentVolume v) {
    String phase = v.getStatus() == null ? null : v.getStatus().getPhase();
    if (!"Released".equals(phase) && !"Failed".equals(phase)) {
      v = setPhase(v, "Released");
    }
    String policy = v.getSpec().getPersistentVolumeReclaimPolicy();
    if ("Delete".equals(policy)) {
      try {
        client.persistentVolumes().withName(v.getMetadata().getName()).delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    } else if ("Recycle".equals(policy) && !"Failed".equals(phase)) {
      events.warning(v, "VolumeFailedRecycle", "Recycle is not supported: use Delete or Retain");
      setPhase(v, "Failed");
    }
  }

  private PersistentVolume setPhase(PersistentVolume v, String phase) {
    if (v.getStatus() != null && phase.equals(v.getStatus().getPhase())) {
      return v;
    }
    return client
        .persistentVolumes()
        .resource(
            new PersistentVolumeBuilder(v).editOrNewStatus().withPhase(phase).endStatus().build())
        .updateStatus();
  }
}
