package io.flotilla.controllers.persistentvolume;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.flotilla.controllers.runtime.Selectors;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Upstream's volume matching for a claim (FindMatchingVolume): a volume pre-bound to the claim
 * (claimRef naming it, with its uid or none) wins at once; otherwise the smallest Available volume
 * that is not being deleted, has the claim's class ("" matches ""), volume mode and every access
 * mode it asks for, at least its requested storage, and labels its selector matches. Claims of a
 * WaitForFirstConsumer class only take pre-bound volumes here: the others are the scheduler's to
 * choose. Stateless.
 */
public final class VolumeMatcher {
  private VolumeMatcher() {}

  public static Optional<PersistentVolume> bestMatch(
      PersistentVolumeClaim claim, Collection<PersistentVolume> volumes, boolean delayBinding) {
    PersistentVolume best = null;
    BigDecimal request = storage(claim.getSpec().getResources().getRequests());
    for (PersistentVolume v : volumes) {
      if (v.getMetadata().getDeletionTimestamp() != null
          || !Objects.equals(volumeMode(v.getSpec().getVolumeMode()), mode(claim))) {
        continue;
      }
      ObjectReference ref = v.getSpec().getClaimRef();
      if (ref != null) {
        if (isBoundTo(v, claim)) {
          return Optional.of(v);
        }
        continue;
      }
      if (delayBinding || !matches(claim, v, request)) {
        continue;
      }
      if (best == null
          || storage(v.getSpec().getCapacity()).compareTo(storage(best.getSpec().getCapacity()))
              < 0) {
        best = v;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Whether an unbound volume satisfies the claim (class, access modes, size, selector). */
  static boolean matches(PersistentVolumeClaim claim, PersistentVolume v, BigDecimal request) {
    if (v.getStatus() != null
        && v.getStatus().getPhase() != null
        && !"Available".equals(v.getStatus().getPhase())
        && !"Pending".equals(v.getStatus().getPhase())) {
      return false;
    }
    if (!className(claim).equals(nz(v.getSpec().getStorageClassName()))) {
      return false;
    }
    List<String> have =
        v.getSpec().getAccessModes() == null ? List.of() : v.getSpec().getAccessModes();
    if (claim.getSpec().getAccessModes() != null
        && !have.containsAll(claim.getSpec().getAccessModes())) {
      return false;
    }
    if (storage(v.getSpec().getCapacity()).compareTo(request) < 0) {
      return false;
    }
    return claim.getSpec().getSelector() == null
        || Selectors.matches(claim.getSpec().getSelector(), v.getMetadata().getLabels());
  }

  /** Whether the volume's claimRef names this claim (and its uid, when the ref carries one). */
  public static boolean isBoundTo(PersistentVolume v, PersistentVolumeClaim claim) {
    ObjectReference ref = v.getSpec().getClaimRef();
    if (ref == null
        || !claim.getMetadata().getName().equals(ref.getName())
        || !claim.getMetadata().getNamespace().equals(ref.getNamespace())) {
      return false;
    }
    return ref.getUid() == null
        || ref.getUid().isEmpty()
        || ref.getUid().equals(claim.getMetadata().getUid());
  }

  /** The claim's class name; absent counts as "". */
  public static String className(PersistentVolumeClaim claim) {
    return nz(claim.getSpec().getStorageClassName());
  }

  /** The "storage" entry of a resource list in bytes; 0 when absent. */
  public static BigDecimal storage(java.util.Map<String, Quantity> resources) {
    if (resources == null || resources.get("storage") == null) {
      return BigDecimal.ZERO;
    }
    return Quantity.getAmountInBytes(resources.get("storage"));
  }

  private static String mode(PersistentVolumeClaim claim) {
    return volumeMode(claim.getSpec().getVolumeMode());
  }

  private static String volumeMode(String m) {
    return m == null || m.isEmpty() ? "Filesystem" : m;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
