package io.flotilla.controllers.replicaset;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.flotilla.controllers.runtime.Pods;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which pods a scale-down deletes first: upstream's {@code ActivePodsWithRanks} order with
 * logarithmic scale-down (on by default since 1.22). Earlier in the order = deleted first:
 *
 * <ol>
 *   <li>unscheduled before scheduled;
 *   <li>Pending before Unknown before Running;
 *   <li>not ready before ready;
 *   <li>lower {@code controller.kubernetes.io/pod-deletion-cost} first;
 *   <li>pods doubled up on a node (more related pods there) first;
 *   <li>ready for a shorter time first (compared on a log2 scale, ties by UID);
 *   <li>more container restarts first;
 *   <li>newer first (log2 scale, ties by UID).
 * </ol>
 *
 * Stateless apart from the ranks computed at construction.
 */
public final class PodRanking implements Comparator<Pod> {
  public static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";
  private static final Map<String, Integer> PHASE =
      Map.of("Pending", 0, "Unknown", 1, "Running", 2);

  private final Map<String, Integer> podsOnNode = new HashMap<>();
  private final Instant now;

  /** {@code related} are the pods whose placement counts for "doubled up" (the owner's family). */
  public PodRanking(Collection<Pod> related, Instant now) {
    this.now = now;
    for (Pod p : related) {
      if (Pods.isActive(p) && nodeName(p) != null) {
        podsOnNode.merge(nodeName(p), 1, Integer::sum);
      }
    }
  }

  /** The {@code n} pods to delete first. */
  public List<Pod> pickForDeletion(List<Pod> pods, int n) {
    return pods.stream().sorted(this).limit(n).toList();
  }

  @Override
  public int compare(Pod a, Pod b) {
    boolean sa = nodeName(a) != null;
    boolean sb = nodeName(b) != null;
    if (sa != sb) {
      return sa ? 1 : -1;
    }
    int pa = PHASE.getOrDefault(phase(a), 0);
    int pb = PHASE.getOrDefault(phase(b), 0);
    if (pa != pb) {
      return Integer.compare(pa, pb);
    }
    boolean ra = Pods.isReady(a);
    boolean rb = Pods.isReady(b);
    if (ra != rb) {
      return ra ? 1 : -1;
    }
    int ca = deletionCost(a);
    int cb = deletionCost(b);
    if (ca != cb) {
      return Integer.compare(ca, cb);
    }
    int ka = rank(a);
    int kb = rank(b);
    if (ka != kb) {
      return Integer.compare(kb, ka);
    }
    if (ra) {
      Instant ta = Pods.readySince(a).orElse(null);
      Instant tb = Pods.readySince(b).orElse(null);
      if (ta != null && tb != null && !ta.equals(tb)) {
        return byAge(a, b, ta, tb);
      } else if ((ta == null) != (tb == null)) {
        return ta == null ? -1 : 1;
      }
    }
    int xa = maxRestarts(a);
    int xb = maxRestarts(b);
    if (xa != xb) {
      return Integer.compare(xb, xa);
    }
    Instant ta = created(a);
    Instant tb = created(b);
    if (ta != null && tb != null && !ta.equals(tb)) {
      return byAge(a, b, ta, tb);
    } else if ((ta == null) != (tb == null)) {
      return ta == null ? -1 : 1;
    }
    return 0;
  }

  /** Younger (later) first, compared on log2 of the age in nanoseconds; same bucket → by UID. */
  private int byAge(Pod a, Pod b, Instant ta, Instant tb) {
    long diff = logRank(ta) - logRank(tb);
    if (diff == 0) {
      return String.valueOf(a.getMetadata().getUid())
          .compareTo(String.valueOf(b.getMetadata().getUid()));
    }
    return diff < 0 ? -1 : 1;
  }

  private long logRank(Instant t) {
    long d = Duration.between(t, now).toNanos();
    return d > 0 ? (long) (Math.log(d) / Math.log(2)) : -1;
  }

  private int rank(Pod p) {
    return nodeName(p) == null ? 0 : podsOnNode.getOrDefault(nodeName(p), 0);
  }

  private static String nodeName(Pod p) {
    String n = p.getSpec() == null ? null : p.getSpec().getNodeName();
    return n == null || n.isEmpty() ? null : n;
  }

  private static String phase(Pod p) {
    return p.getStatus() == null ? null : p.getStatus().getPhase();
  }

  private static int deletionCost(Pod p) {
    var ann = p.getMetadata().getAnnotations();
    if (ann == null || !ann.containsKey(DELETION_COST)) {
      return 0;
    }
    try {
      return Integer.parseInt(ann.get(DELETION_COST));
    } catch (NumberFormatException e) {
      return 0; // the apiserver validates it; an unparsable cost counts as the default
    }
  }

  private static int maxRestarts(Pod p) {
    if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
      return 0;
    }
    return p.getStatus().getContainerStatuses().stream()
        .map(ContainerStatus::getRestartCount)
        .filter(java.util.Objects::nonNull)
        .mapToInt(Integer::intValue)
        .max()
        .orElse(0);
  }

  private static Instant created(Pod p) {
    String c = p.getMetadata().getCreationTimestamp();
    return c == null ? null : Instant.parse(c);
  }
}
