package io.flotilla.controllers.persistentvolume;

import static io.flotilla.controllers.persistentvolume.VolumeAnnotations.BOUND_BY_CONTROLLER;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
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
  private final SharedIndexInformer<Pod> pods;
  private final EventRecorder events;

  /** What the controller does next: sync this claim (or none), look again later. */
  record Next(String claimKey, boolean later) {
    static final Next NONE = new Next(null, false);
  }

  VolumeSync(
      KubernetesClient client,
      SharedIndexInformer<PersistentVolumeClaim> claims,
      SharedIndexInformer<PersistentVolume> volumes,
      SharedIndexInformer<Pod> pods,
      EventRecorder events) {
    this.client = client;
    this.claims = claims;
    this.volumes = volumes;
    this.pods = pods;
    this.events = events;
  }

  /** Syncs the volume; says which claim to sync next and whether to look again later. */
  Next sync(String name) {
    PersistentVolume v = volumes.getStore().getByKey(name);
    if (v == null || v.getMetadata().getDeletionTimestamp() != null) {
      return Next.NONE;
    }
    ObjectReference ref = v.getSpec().getClaimRef();
    if (ref == null) {
      setPhase(v, "Available");
      return Next.NONE;
    }
    String claimKey = Keys.of(ref.getNamespace(), ref.getName());
    if (ref.getUid() == null || ref.getUid().isEmpty()) {
      // Pre-bound by name only: waits for that claim.
      setPhase(v, "Available");
      return new Next(claimKey, false);
    }
    PersistentVolumeClaim claim = claims.getStore().getByKey(claimKey);
    if (claim == null || !ref.getUid().equals(claim.getMetadata().getUid())) {
      claim = liveClaim(ref);
    }
    if (claim == null) {
      return new Next(null, release(v, ref));
    }
    String bound = claim.getSpec().getVolumeName();
    if (bound == null || bound.isEmpty()) {
      // Binding in progress (or the claim lost its side): the claim's sync finishes it.
      return new Next(claimKey, false);
    }
    if (bound.equals(name)) {
      setPhase(v, "Bound");
      return Next.NONE;
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
    return Next.NONE;
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

  /** Releases and reclaims; true when deleting waits for pods still using the claim. */
  private boolean release(PersistentVolume v, ObjectReference ref) {
    String phase = v.getStatus() == null ? null : v.getStatus().getPhase();
    if (!"Released".equals(phase) && !"Failed".equals(phase)) {
      v = setPhase(v, "Released");
    }
    String policy = v.getSpec().getPersistentVolumeReclaimPolicy();
    if ("Delete".equals(policy) && inUse(ref)) {
      // Upstream's pvc-protection keeps the claim until no pod uses it; without that finalizer,
      // the data at least stays until the pods are gone.
      return true;
    }
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
    return false;
  }

  /** Whether a pod that has not finished still names the claim in its volumes. */
  private boolean inUse(ObjectReference ref) {
    for (Pod p : pods.getStore().list()) {
      if (!ref.getNamespace().equals(p.getMetadata().getNamespace())
          || p.getSpec().getVolumes() == null
          || (p.getStatus() != null
              && ("Succeeded".equals(p.getStatus().getPhase())
                  || "Failed".equals(p.getStatus().getPhase())))) {
        continue;
      }
      for (Volume vol : p.getSpec().getVolumes()) {
        if (vol.getPersistentVolumeClaim() != null
            && ref.getName().equals(vol.getPersistentVolumeClaim().getClaimName())) {
          return true;
        }
      }
    }
    return false;
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
