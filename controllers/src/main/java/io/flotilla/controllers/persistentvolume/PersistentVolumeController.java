package io.flotilla.controllers.persistentvolume;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.flotilla.controllers.runtime.Controller;
import io.flotilla.controllers.runtime.ControllerContext;
import io.flotilla.controllers.runtime.EventRecorder;
import io.flotilla.controllers.runtime.Keys;
import io.flotilla.controllers.runtime.Reconciler;
import io.flotilla.controllers.runtime.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's {@code persistentvolume-binder-controller}: binds PersistentVolumeClaims to
 * PersistentVolumes and keeps both phases right; hands claims that need a new volume to their
 * class's provisioner (annotation {@value VolumeAnnotations#STORAGE_PROVISIONER}); releases volumes
 * whose claim is gone and deletes those whose reclaim policy is Delete.
 *
 * <p>Keys are {@code pvc:<namespace>/<name>} (claims, {@link ClaimSync}) and {@code pv:<name>}
 * (volumes, {@link VolumeSync}); a new or freed unbound volume queues {@value #PENDING_CLAIMS},
 * which looks at every unbound claim again, where upstream waits for its 15 s resync. Unbound
 * claims are also looked at again every 15 s. A released volume with reclaim policy Delete is kept
 * while an unfinished pod still names its claim (standing in for upstream's pvc-protection
 * finalizer); pod changes queue the volumes of the claims they name. Threading: see {@link
 * Controller}; the sync classes only read informer caches and write through the client.
 */
public final class PersistentVolumeController implements Reconciler {
  public static final String NAME = "persistentvolume-binder";
  static final String CLAIM = "pvc:";
  static final String VOLUME = "pv:";
  static final String PENDING_CLAIMS = "pending-claims";
  static final Duration RESYNC = Duration.ofSeconds(15);

  private final SharedIndexInformer<PersistentVolumeClaim> claims;
  private final SharedIndexInformer<PersistentVolume> volumes;
  private final SharedIndexInformer<Pod> pods;
  private final ClaimSync claimSync;
  private final VolumeSync volumeSync;
  private Controller controller;

  private PersistentVolumeController(ControllerContext ctx) {
    this.claims = ctx.informers().forType(PersistentVolumeClaim.class);
    this.volumes = ctx.informers().forType(PersistentVolume.class);
    SharedIndexInformer<StorageClass> classes = ctx.informers().forType(StorageClass.class);
    EventRecorder events = ctx.recorder("persistentvolume-controller");
    this.claimSync = new ClaimSync(ctx.client(), claims, volumes, classes, events);
    this.pods = ctx.informers().forType(Pod.class);
    this.volumeSync = new VolumeSync(ctx.client(), claims, volumes, pods, events);
  }

  public static Controller create(ControllerContext ctx) {
    PersistentVolumeController r = new PersistentVolumeController(ctx);
    r.controller =
        Controller.builder(ctx, NAME, r)
            .watch(r.claims, PersistentVolumeController::claimKeys)
            .watch(r.volumes, PersistentVolumeController::volumeKeys)
            .reads(ctx.informers().forType(StorageClass.class))
            .watch(r.pods, r::podVolumeKeys)
            .build();
    return r.controller;
  }

  static List<String> claimKeys(PersistentVolumeClaim c) {
    List<String> keys = new ArrayList<>(List.of(CLAIM + Keys.of(c)));
    String v = c.getSpec() == null ? null : c.getSpec().getVolumeName();
    if (v != null && !v.isEmpty()) {
      keys.add(VOLUME + v);
    }
    return keys;
  }

  /**
   * The volumes held for the claims a pod names: a released Delete volume waits for such pods, so
   * their changes (finishing, going away) look at it again.
   */
  List<String> podVolumeKeys(Pod p) {
    if (p.getSpec() == null || p.getSpec().getVolumes() == null) {
      return List.of();
    }
    List<String> claimNames = new ArrayList<>();
    for (var v : p.getSpec().getVolumes()) {
      if (v.getPersistentVolumeClaim() != null) {
        claimNames.add(v.getPersistentVolumeClaim().getClaimName());
      }
    }
    if (claimNames.isEmpty()) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    for (PersistentVolume v : volumes.getStore().list()) {
      ObjectReference ref = v.getSpec().getClaimRef();
      if (ref != null
          && p.getMetadata().getNamespace().equals(ref.getNamespace())
          && claimNames.contains(ref.getName())) {
        keys.add(VOLUME + v.getMetadata().getName());
      }
    }
    return keys;
  }

  static List<String> volumeKeys(PersistentVolume v) {
    List<String> keys = new ArrayList<>(List.of(VOLUME + v.getMetadata().getName()));
    ObjectReference ref = v.getSpec() == null ? null : v.getSpec().getClaimRef();
    if (ref != null && ref.getName() != null) {
      keys.add(CLAIM + Keys.of(ref.getNamespace(), ref.getName()));
    } else {
      keys.add(PENDING_CLAIMS);
    }
    return keys;
  }

  @Override
  public Result reconcile(String key) {
    if (key.equals(PENDING_CLAIMS)) {
      for (PersistentVolumeClaim c : claims.getStore().list()) {
        if (!VolumeAnnotations.has(c, VolumeAnnotations.BIND_COMPLETED)) {
          controller.enqueue(CLAIM + Keys.of(c));
        }
      }
      return Result.done();
    }
    if (key.startsWith(CLAIM)) {
      String claimKey = key.substring(CLAIM.length());
      ClaimSync.Outcome o = claimSync.sync(claimKey);
      if (o == ClaimSync.Outcome.GONE) {
        // The volumes it held (or that were pre-bound to it) are released now.
        for (PersistentVolume v : volumes.getStore().list()) {
          ObjectReference ref = v.getSpec().getClaimRef();
          if (ref != null && claimKey.equals(Keys.of(ref.getNamespace(), ref.getName()))) {
            controller.enqueue(VOLUME + v.getMetadata().getName());
          }
        }
      }
      return o == ClaimSync.Outcome.PENDING ? Result.requeueAfter(RESYNC) : Result.done();
    }
    if (key.startsWith(VOLUME)) {
      VolumeSync.Next next = volumeSync.sync(key.substring(VOLUME.length()));
      if (next.claimKey() != null) {
        controller.enqueue(CLAIM + next.claimKey());
      }
      return next.later() ? Result.requeueAfter(RESYNC) : Result.done();
    }
    return Result.done();
  }
}
