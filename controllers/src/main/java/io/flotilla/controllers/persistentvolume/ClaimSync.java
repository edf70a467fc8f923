package io.flotilla.controllers.persistentvolume;

import static io.flotilla.controllers.persistentvolume.VolumeAnnotations.BETA_STORAGE_PROVISIONER;
import static io.flotilla.controllers.persistentvolume.VolumeAnnotations.BIND_COMPLETED;
import static io.flotilla.controllers.persistentvolume.VolumeAnnotations.BOUND_BY_CONTROLLER;
import static io.flotilla.controllers.persistentvolume.VolumeAnnotations.SELECTED_NODE;
import static io.flotilla.controllers.persistentvolume.VolumeAnnotations.STORAGE_PROVISIONER;
import static io.flotilla.controllers.persistentvolume.VolumeAnnotations.YES;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.flotilla.controllers.runtime.EventRecorder;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One claim's step of the binder (upstream's syncUnboundClaim / syncBoundClaim). Writes go through
 * the client with the cached resourceVersion, so a stale cache fails with a conflict and the key is
 * retried. Threading: called by the controller's workers, one key at a time.
 */
final class ClaimSync {
  /** What became of the claim. */
  enum Outcome {
    GONE,
    PENDING,
    BOUND,
    LOST
  }

  static final String NO_PROVISIONER = "kubernetes.io/no-provisioner";

  private final KubernetesClient client;
  private final SharedIndexInformer<PersistentVolumeClaim> claims;
  private final SharedIndexInformer<PersistentVolume> volumes;
  private final SharedIndexInformer<StorageClass> classes;
  private final EventRecorder events;

  ClaimSync(
      KubernetesClient client,
      SharedIndexInformer<PersistentVolumeClaim> claims,
      SharedIndexInformer<PersistentVolume> volumes,
      SharedIndexInformer<StorageClass> classes,
      EventRecorder events) {
    this.client = client;
    this.claims = claims;
    this.volumes = volumes;
    this.classes = classes;
    this.events = events;
  }

  Outcome sync(String key) {
    PersistentVolumeClaim claim = claims.getStore().getByKey(key);
    if (claim == null) {
      return Outcome.GONE;
    }
    if (claim.getMetadata().getDeletionTimestamp() != null) {
      return Outcome.PENDING;
    }
    return VolumeAnnotations.has(claim, BIND_COMPLETED) ? syncBound(claim) : syncUnbound(claim);
  }

  private Outcome syncUnbound(PersistentVolumeClaim claim) {
    StorageClass sc = storageClass(claim);
    boolean delay =
        sc != null && VolumeAnnotations.WAIT_FOR_FIRST_CONSUMER.equals(sc.getVolumeBindingMode());
    String volumeName = claim.getSpec().getVolumeName();
    if (volumeName == null || volumeName.isEmpty()) {
      var match = VolumeMatcher.bestMatch(claim, volumes.getStore().list(), delay);
      if (match.isPresent()) {
        return bind(match.get(), claim);
      }
      if (delay && !VolumeAnnotations.has(claim, SELECTED_NODE)) {
        events.normal(
            claim,
            "WaitForFirstConsumer",
            "waiting for first consumer to be created before binding");
      } else if (sc == null && !VolumeMatcher.className(claim).isEmpty()) {
        events.warning(
            claim,
            "ProvisioningFailed",
            "storageclass.storage.k8s.io \"%s\" not found",
            VolumeMatcher.className(claim));
      } else if (sc == null
          || sc.getProvisioner() == null
          || NO_PROVISIONER.equals(sc.getProvisioner())) {
        events.normal(
            claim,
            "FailedBinding",
            "no persistent volumes available for this claim and no storage class is set");
      } else {
        claim = askProvisioner(claim, sc.getProvisioner());
        events.normal(
            claim,
            "ExternalProvisioning",
            "Waiting for a volume to be created either by the external provisioner '%s' or"
                + " manually by the system administrator. If volume creation is delayed, please"
                + " verify that the provisioner is running and correctly registered.",
            sc.getProvisioner());
      }
      setPhase(claim, "Pending");
      return Outcome.PENDING;
    }
    PersistentVolume v = volumes.getStore().getByKey(volumeName);
    if (v == null) {
      setPhase(claim, "Pending");
      return Outcome.PENDING;
    }
    if (v.getSpec().getClaimRef() == null || VolumeMatcher.isBoundTo(v, claim)) {
      return bind(v, claim);
    }
    events.warning(
        claim, "FailedBinding", "volume \"%s\" already bound to a different claim.", volumeName);
    setPhase(claim, "Pending");
    return Outcome.PENDING;
  }

  private Outcome syncBound(PersistentVolumeClaim claim) {
    String volumeName = claim.getSpec().getVolumeName();
    if (volumeName == null || volumeName.isEmpty()) {
      return lost(
          claim,
          "ClaimLost",
          "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!");
    }
    PersistentVolume v = volumes.getStore().getByKey(volumeName);
    if (v == null) {
      return lost(
          claim,
          "ClaimLost",
          "Bound claim has lost its PersistentVolume. Data on the volume is lost!");
    }
    if (v.getSpec().getClaimRef() == null || VolumeMatcher.isBoundTo(v, claim)) {
      return bind(v, claim);
    }
    return lost(
        claim,
        "ClaimMisbound",
        "Two claims are bound to the same volume, this one is bound incorrectly");
  }

  private Outcome lost(PersistentVolumeClaim claim, String reason, String message) {
    if (!"Lost".equals(phase(claim))) {
      events.warning(claim, reason, "%s", message);
    }
    setPhase(claim, "Lost");
    return Outcome.LOST;
  }

  /**
   * Binds in upstream's order, each step idempotent: the volume's claimRef, the volume's phase, the
   * claim's volumeName and annotations, the claim's phase with capacity and access modes.
   */
  private Outcome bind(PersistentVolume v, PersistentVolumeClaim claim) {
    boolean refOk =
        v.getSpec().getClaimRef() != null
            && Objects.equals(v.getSpec().getClaimRef().getUid(), claim.getMetadata().getUid());
    if (!refOk) {
      PersistentVolumeBuilder b = new PersistentVolumeBuilder(v);
      if (v.getSpec().getClaimRef() == null) {
        b.editMetadata().addToAnnotations(BOUND_BY_CONTROLLER, YES).endMetadata();
      }
      b.editSpec()
          .withClaimRef(
              new ObjectReferenceBuilder()
                  .withKind("PersistentVolumeClaim")
                  .withApiVersion("v1")
                  .withNamespace(claim.getMetadata().getNamespace())
                  .withName(claim.getMetadata().getName())
                  .withUid(claim.getMetadata().getUid())
                  .withResourceVersion(claim.getMetadata().getResourceVersion())
                  .build())
          .endSpec();
      v = client.persistentVolumes().resource(b.build()).update();
    }
    if (v.getStatus() == null || !"Bound".equals(v.getStatus().getPhase())) {
      v =
          client
              .persistentVolumes()
              .resource(
                  new PersistentVolumeBuilder(v)
                      .editOrNewStatus()
                      .withPhase("Bound")
                      .endStatus()
                      .build())
              .updateStatus();
    }
    String name = v.getMetadata().getName();
    if (!name.equals(claim.getSpec().getVolumeName())
        || !VolumeAnnotations.has(claim, BIND_COMPLETED)) {
      PersistentVolumeClaimBuilder b = new PersistentVolumeClaimBuilder(claim);
      if (!name.equals(claim.getSpec().getVolumeName())) {
        b.editMetadata().addToAnnotations(BOUND_BY_CONTROLLER, YES).endMetadata();
        b.editSpec().withVolumeName(name).endSpec();
      }
      b.editMetadata().addToAnnotations(BIND_COMPLETED, YES).endMetadata();
      claim = update(b.build());
    }
    if (!"Bound".equals(phase(claim))
        || !Objects.equals(claim.getStatus().getCapacity(), v.getSpec().getCapacity())
        || !Objects.equals(claim.getStatus().getAccessModes(), v.getSpec().getAccessModes())) {
      client
          .persistentVolumeClaims()
          .inNamespace(claim.getMetadata().getNamespace())
          .resource(
              new PersistentVolumeClaimBuilder(claim)
                  .editOrNewStatus()
                  .withPhase("Bound")
                  .withCapacity(new HashMap<>(v.getSpec().getCapacity()))
                  .withAccessModes(v.getSpec().getAccessModes())
                  .endStatus()
                  .build())
          .updateStatus();
    }
    return Outcome.BOUND;
  }

  /** Sets the provisioner annotations (current and beta name) the provisioner acts on. */
  private PersistentVolumeClaim askProvisioner(PersistentVolumeClaim claim, String provisioner) {
    if (provisioner.equals(VolumeAnnotations.get(claim, STORAGE_PROVISIONER))
        && provisioner.equals(VolumeAnnotations.get(claim, BETA_STORAGE_PROVISIONER))) {
      return claim;
    }
    return update(
        new PersistentVolumeClaimBuilder(claim)
            .editMetadata()
            .addToAnnotations(
                Map.of(STORAGE_PROVISIONER, provisioner, BETA_STORAGE_PROVISIONER, provisioner))
            .endMetadata()
            .build());
  }

  private PersistentVolumeClaim update(PersistentVolumeClaim c) {
    return client
        .persistentVolumeClaims()
        .inNamespace(c.getMetadata().getNamespace())
        .resource(c)
        .update();
  }

  private void setPhase(PersistentVolumeClaim claim, String phase) {
    if (phase.equals(phase(claim))) {
      return;
    }
    client
        .persistentVolumeClaims()
        .inNamespace(claim.getMetadata().getNamespace())
        .resource(
            new PersistentVolumeClaimBuilder(claim)
                .editOrNewStatus()
                .withPhase(phase)
                .endStatus()
                .build())
        .updateStatus();
  }

  private static String phase(PersistentVolumeClaim c) {
    return c.getStatus() == null ? null : c.getStatus().getPhase();
  }

  private StorageClass storageClass(PersistentVolumeClaim claim) {
    String name = VolumeMatcher.className(claim);
    return name.isEmpty() ? null : classes.getStore().getByKey(name);
  }
}
