package io.flotilla.scheduler.plugins.volumebinding;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.RequiredNodeAffinity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Upstream's matching of a waiting (WaitForFirstConsumer) claim against existing unbound volumes,
 * done per node: an Available volume without claimRef, not being deleted, of the claim's class and
 * volume mode, with every access mode it asks for, enough capacity, labels its selector matches,
 * and node affinity the node satisfies; the smallest wins. Stateless.
 */
final class StaticVolumes {
  private StaticVolumes() {}

  /** The volumes that could serve {@code claim} on some node, smallest first. */
  static List<PersistentVolume> candidates(
      PersistentVolumeClaim claim, Collection<PersistentVolume> all) {
    BigDecimal request =
        storage(
            claim.getSpec().getResources() == null
                ? null
                : claim.getSpec().getResources().getRequests());
    List<PersistentVolume> out = new ArrayList<>();
    for (PersistentVolume v : all) {
      if (v.getMetadata().getDeletionTimestamp() != null
          || v.getSpec().getClaimRef() != null
          || (v.getStatus() != null
              && v.getStatus().getPhase() != null
              && !"Available".equals(v.getStatus().getPhase()))
          || !nz(claim.getSpec().getStorageClassName())
              .equals(nz(v.getSpec().getStorageClassName()))
          || !mode(claim.getSpec().getVolumeMode()).equals(mode(v.getSpec().getVolumeMode()))
          || storage(v.getSpec().getCapacity()).compareTo(request) < 0) {
        continue;
      }
      List<String> have =
          v.getSpec().getAccessModes() == null ? List.of() : v.getSpec().getAccessModes();
      if (claim.getSpec().getAccessModes() != null
          && !have.containsAll(claim.getSpec().getAccessModes())) {
        continue;
      }
      if (claim.getSpec().getSelector() != null
          && !selects(claim.getSpec().getSelector(), v.getMetadata().getLabels())) {
        continue;
      }
      out.add(v);
    }
    out.sort(Comparator.comparing((PersistentVolume v) -> storage(v.getSpec().getCapacity())));
    return out;
  }

  /** The smallest of {@code candidates} usable on {@code node} and not in {@code taken}. */
  static PersistentVolume pick(
      List<PersistentVolume> candidates, NodeInfo node, Set<String> taken) {
    for (PersistentVolume v : candidates) {
      if (!taken.contains(v.getMetadata().getName()) && fits(v, node)) {
        return v;
      }
    }
    return null;
  }

  /** Whether the node satisfies the volume's required node affinity (none: every node). */
  static boolean fits(PersistentVolume v, NodeInfo node) {
    if (v.getSpec().getNodeAffinity() == null
        || v.getSpec().getNodeAffinity().getRequired() == null) {
      return true;
    }
    NodeSelector required = v.getSpec().getNodeAffinity().getRequired();
    List<NodeSelectorTerm> terms = required.getNodeSelectorTerms();
    if (terms == null || terms.isEmpty()) {
      return true;
    }
    for (NodeSelectorTerm t : terms) {
      if (RequiredNodeAffinity.termMatches(t, node)) {
        return true;
      }
    }
    return false;
  }

  private static boolean selects(LabelSelector s, Map<String, String> labels) {
    Map<String, String> l = labels == null ? Map.of() : labels;
    if (s.getMatchLabels() != null) {
      for (var e : s.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(l.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (s.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : s.getMatchExpressions()) {
        String v = l.get(r.getKey());
        List<String> vals = r.getValues() == null ? List.of() : r.getValues();
        boolean ok =
            switch (r.getOperator()) {
              case "In" -> v != null && vals.contains(v);
              case "NotIn" -> v == null || !vals.contains(v);
              case "Exists" -> v != null;
              case "DoesNotExist" -> v == null;
              default -> false;
            };
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }

  private static BigDecimal storage(Map<String, Quantity> resources) {
    if (resources == null || resources.get("storage") == null) {
      return BigDecimal.ZERO;
    }
    return Quantity.getAmountInBytes(resources.get("storage"));
  }

  private static String mode(String m) {
    return m == null || m.isEmpty() ? "Filesystem" : m;
  }

  private static String nz(String s) {
    return Objects.requireNonNullElse(s, "");
  }
}
