package io.flotilla.controllers.localpath;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.flotilla.controllers.persistentvolume.VolumeAnnotations;
import java.util.HashMap;
import java.util.Map;

/** How a local-path volume is named, placed and written. Stateless. */
public final class LocalPathVolumes {
  /** The Node annotation that names the node's storage directory (set by the agent). */
  public static final String DIR_ANNOTATION = "local-path.flotilla.io/dir";

  /** The storage directory of a node without the annotation: the agent's default data dir. */
  public static final String DEFAULT_DIR = "/var/lib/flotilla/agent/storage";

  public static final String HOSTNAME_LABEL = "kubernetes.io/hostname";

  private LocalPathVolumes() {}

  public static String volumeName(PersistentVolumeClaim claim) {
    return "pvc-" + claim.getMetadata().getUid();
  }

  /** The node's storage directory: its annotation, else {@link #DEFAULT_DIR}. */
  public static String storageDir(Node node) {
    Map<String, String> a = node.getMetadata().getAnnotations();
    String dir = a == null ? null : a.get(DIR_ANNOTATION);
    return dir == null || dir.isBlank() ? DEFAULT_DIR : dir;
  }

  /** {@code <storage dir>/<pv>_<namespace>_<claim>}, as rancher's provisioner names it. */
  public static String path(PersistentVolumeClaim claim, Node node) {
    String dir = storageDir(node);
    String sep = dir.endsWith("/") ? "" : "/";
    return dir
        + sep
        + volumeName(claim)
        + "_"
        + claim.getMetadata().getNamespace()
        + "_"
        + claim.getMetadata().getName();
  }

  /** The PersistentVolume the provisioner creates for {@code claim} on {@code node}. */
  public static PersistentVolume volume(PersistentVolumeClaim claim, StorageClass sc, Node node) {
    Map<String, String> labels = node.getMetadata().getLabels();
    String hostname =
        labels != null && labels.get(HOSTNAME_LABEL) != null
            ? labels.get(HOSTNAME_LABEL)
            : node.getMetadata().getName();
    String policy = sc.getReclaimPolicy() == null ? "Delete" : sc.getReclaimPolicy();
    return new PersistentVolumeBuilder()
        .withNewMetadata()
        .withName(volumeName(claim))
        .addToAnnotations(VolumeAnnotations.PROVISIONED_BY, LocalPathProvisioner.PROVISIONER)
        .addToAnnotations(VolumeAnnotations.SELECTED_NODE, node.getMetadata().getName())
        .endMetadata()
        .withNewSpec()
        .withCapacity(new HashMap<>(claim.getSpec().getResources().getRequests()))
        .withAccessModes(claim.getSpec().getAccessModes())
        .withStorageClassName(sc.getMetadata().getName())
        .withPersistentVolumeReclaimPolicy(policy)
        .withMountOptions(sc.getMountOptions())
        .withVolumeMode("Filesystem")
        .withNewHostPath()
        .withPath(path(claim, node))
        .withType("DirectoryOrCreate")
        .endHostPath()
        .withNewNodeAffinity()
        .withNewRequired()
        .withNodeSelectorTerms(
            new NodeSelectorTermBuilder()
                .withMatchExpressions(
                    new NodeSelectorRequirementBuilder()
                        .withKey(HOSTNAME_LABEL)
                        .withOperator("In")
                        .withValues(hostname)
                        .build())
                .build())
        .endRequired()
        .endNodeAffinity()
        .withClaimRef(
            new ObjectReferenceBuilder()
                .withKind("PersistentVolumeClaim")
                .withApiVersion("v1")
                .withNamespace(claim.getMetadata().getNamespace())
                .withName(claim.getMetadata().getName())
                .withUid(claim.getMetadata().getUid())
                .withResourceVersion(claim.getMetadata().getResourceVersion())
                .build())
        .endSpec()
        .build();
  }
}
