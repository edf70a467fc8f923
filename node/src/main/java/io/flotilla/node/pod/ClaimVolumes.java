package io.flotilla.node.pod;

import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.Objects;

/**
 * Resolves a persistentVolumeClaim volume as kubelet's desired-state populator does: claim → bound
 * PersistentVolume (the claim Bound with a volumeName, the volume's claimRef carrying the claim's
 * uid) → its hostPath (as is) or local path (must exist, type Directory). Anything short of that is
 * a {@link ConfigError} whose message says what is missing; the pod stays ContainerCreating and the
 * next sync tries again. Stateless.
 */
public final class ClaimVolumes {
  private ClaimVolumes() {}

  public static HostPathVolumeSource hostPath(ObjectSource objects, String ns, String claimName) {
    PersistentVolumeClaim claim = objects.persistentVolumeClaim(ns, claimName);
    if (claim == null) {
      throw new ConfigError("persistentvolumeclaim \"" + claimName + "\" not found");
    }
    String phase = claim.getStatus() == null ? "" : nz(claim.getStatus().getPhase());
    String volumeName = nz(claim.getSpec().getVolumeName());
    if (!"Bound".equals(phase) || volumeName.isEmpty()) {
      throw new ConfigError(
          "error processing PVC %s/%s: PVC is not bound (phase \"%s\", volumeName \"%s\"): waiting for its volume to be provisioned and bound"
              .formatted(ns, claimName, phase, volumeName));
    }
    PersistentVolume pv = objects.persistentVolume(volumeName);
    if (pv == null) {
      throw new ConfigError("persistentvolume \"" + volumeName + "\" not found");
    }
    var ref = pv.getSpec().getClaimRef();
    if (ref == null || !Objects.equals(ref.getUid(), claim.getMetadata().getUid())) {
      throw new ConfigError(
          "error processing PVC %s/%s: volume \"%s\" is not bound to this claim"
              .formatted(ns, claimName, volumeName));
    }
    if (pv.getSpec().getHostPath() != null) {
      return pv.getSpec().getHostPath();
    }
    if (pv.getSpec().getLocal() != null) {
      return new HostPathVolumeSource(pv.getSpec().getLocal().getPath(), "Directory");
    }
    throw new ConfigError(
        "persistentvolume \""
            + volumeName
            + "\": this agent mounts hostPath and local volumes only");
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
