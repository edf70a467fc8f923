package io.flotilla.controllers.localpath;

import static io.flotilla.controllers.persistentvolume.VolumeAnnotations.SELECTED_NODE;
import static io.flotilla.controllers.persistentvolume.VolumeAnnotations.STORAGE_PROVISIONER;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.flotilla.controllers.persistentvolume.VolumeAnnotations;
import io.flotilla.controllers.runtime.Controller;
import io.flotilla.controllers.runtime.ControllerContext;
import io.flotilla.controllers.runtime.EventRecorder;
import io.flotilla.controllers.runtime.Keys;
import io.flotilla.controllers.runtime.Reconciler;
import io.flotilla.controllers.runtime.Result;
import java.time.Duration;

/**
 * The local-path provisioner (as k3s ships rancher's): for a claim the binder handed to {@value
 * #PROVISIONER} (annotation {@value VolumeAnnotations#STORAGE_PROVISIONER}) and whose node is
 * chosen ({@value VolumeAnnotations#SELECTED_NODE}), creates a PersistentVolume {@code pvc-<claim
 * uid>}: a hostPath directory (type DirectoryOrCreate, made by the node agent at first mount) at
 * {@code <node's storage dir>/<pv>_<namespace>_<claim>}, required node affinity to that node's
 * {@code kubernetes.io/hostname}, the claim's size and access modes, the class's reclaim policy and
 * mount options, and a claimRef pre-bound to the claim, which the binder then completes.
 *
 * <p>The node's storage directory is its annotation {@value LocalPathVolumes#DIR_ANNOTATION}
 * (published by the agent: {@code <data dir>/storage}), else {@value LocalPathVolumes#DEFAULT_DIR}.
 * Removing directories is the agent's job: it deletes those under its storage directory that no
 * PersistentVolume names any more. Threading: see {@link Controller}.
 */
public final class LocalPathProvisioner implements Reconciler {
  public static final String NAME = "local-path-provisioner";
  public static final String PROVISIONER = "flotilla.io/local-path";

  private final ControllerContext ctx;
  private final SharedIndexInformer<PersistentVolumeClaim> claims;
  private final SharedIndexInformer<PersistentVolume> volumes;
  private final SharedIndexInformer<StorageClass> classes;
  private final SharedIndexInformer<Node> nodes;
  private final EventRecorder events;

  private LocalPathProvisioner(ControllerContext ctx) {
    this.ctx = ctx;
    this.claims = ctx.informers().forType(PersistentVolumeClaim.class);
    this.volumes = ctx.informers().forType(PersistentVolume.class);
    this.classes = ctx.informers().forType(StorageClass.class);
    this.nodes = ctx.informers().forType(Node.class);
    this.events = ctx.recorder(PROVISIONER + "_" + NAME);
  }

  public static Controller create(ControllerContext ctx) {
    LocalPathProvisioner r = new LocalPathProvisioner(ctx);
    return Controller.builder(ctx, NAME, r)
        .watch(r.claims)
        .reads(r.volumes)
        .reads(r.classes)
        .reads(r.nodes)
        .build();
  }

  @Override
  public Result reconcile(String key) {
    PersistentVolumeClaim claim = claims.getStore().getByKey(key);
    if (claim == null
        || claim.getMetadata().getDeletionTimestamp() != null
        || !PROVISIONER.equals(VolumeAnnotations.get(claim, STORAGE_PROVISIONER))
        || (claim.getSpec().getVolumeName() != null
            && !claim.getSpec().getVolumeName().isEmpty())) {
      return Result.done();
    }
    String pvName = LocalPathVolumes.volumeName(claim);
    if (volumes.getStore().getByKey(pvName) != null) {
      return Result.done();
    }
    StorageClass sc = classes.getStore().getByKey(nz(claim.getSpec().getStorageClassName()));
    if (sc == null || !PROVISIONER.equals(sc.getProvisioner())) {
      return Result.done();
    }
    if (claim.getSpec().getSelector() != null) {
      return failed(claim, "claim.Spec.Selector is not supported");
    }
    String nodeName = VolumeAnnotations.get(claim, SELECTED_NODE);
    if (nodeName == null || nodeName.isEmpty()) {
      return failed(
          claim,
          "configuration error, no node was specified: use a StorageClass with"
              + " volumeBindingMode WaitForFirstConsumer");
    }
    Node node = nodes.getStore().getByKey(nodeName);
    if (node == null) {
      events.warning(
          claim,
          "ProvisioningFailed",
          "failed to provision volume: node \"%s\" not found",
          nodeName);
      return Result.requeueAfter(Duration.ofSeconds(5));
    }
    events.normal(
        claim,
        "Provisioning",
        "External provisioner is provisioning volume for claim \"%s\"",
        Keys.of(claim));
    PersistentVolume pv = LocalPathVolumes.volume(claim, sc, node);
    try {
      ctx.client().persistentVolumes().resource(pv).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      return Result.done();
    }
    events.normal(
        claim,
        "ProvisioningSucceeded",
        "Successfully provisioned volume %s",
        pv.getMetadata().getName());
    return Result.done();
  }

  private Result failed(PersistentVolumeClaim claim, String why) {
    events.warning(claim, "ProvisioningFailed", "failed to provision volume: %s", why);
    return Result.done();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
