package io.flotilla.controllers.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.List;
import java.util.Objects;

/**
 * The replica arithmetic of upstream's deployment util: maxSurge rounds percentages up and
 * maxUnavailable rounds them down ({@code ResolveFenceposts}), both zero means one unavailable; how
 * many replicas the new ReplicaSet may have; proportional scaling fractions. Stateless.
 */
final class Rolling {
  private Rolling() {}

  static int replicas(Deployment d) {
    Integer r = d.getSpec().getReplicas();
    return r == null ? 1 : r;
  }

  static int replicas(ReplicaSet rs) {
    Integer r = rs.getSpec().getReplicas();
    return r == null ? 0 : r;
  }

  static boolean isRollingUpdate(Deployment d) {
    return d.getSpec().getStrategy() == null
        || !"Recreate".equals(d.getSpec().getStrategy().getType());
  }

  /** {@code intstr.GetScaledValueFromIntOrPercent}. */
  static int scaled(IntOrString v, int total, boolean roundUp) {
    if (v == null) {
      return 0;
    }
    if (v.getIntVal() != null) {
      return v.getIntVal();
    }
    String s = v.getStrVal();
    if (s == null || !s.endsWith("%")) {
      throw new IllegalArgumentException(
          "invalid value for IntOrString: "
              + s
              + " (expected an integer or a percentage such as 25%)");
    }
    int pct = Integer.parseInt(s.substring(0, s.length() - 1));
    double value = pct * (double) total / 100.0;
    return (int) (roundUp ? Math.ceil(value) : Math.floor(value));
  }

  /** [maxSurge, maxUnavailable] for {@code desired} replicas. */
  static int[] fenceposts(Deployment d, int desired) {
    var ru =
        d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
    IntOrString surge = ru == null ? new IntOrString("25%") : ru.getMaxSurge();
    IntOrString unavailable = ru == null ? new IntOrString("25%") : ru.getMaxUnavailable();
    int s = scaled(surge, desired, true);
    int u = scaled(unavailable, desired, false);
    if (s == 0 && u == 0) {
      u = 1;
    }
    return new int[] {s, u};
  }

  static int maxSurge(Deployment d) {
    return isRollingUpdate(d) ? fenceposts(d, replicas(d))[0] : 0;
  }

  static int maxUnavailable(Deployment d) {
    if (!isRollingUpdate(d) || replicas(d) == 0) {
      return 0;
    }
    return Math.min(fenceposts(d, replicas(d))[1], replicas(d));
  }

  static int specReplicas(List<ReplicaSet> rss) {
    return rss.stream().filter(Objects::nonNull).mapToInt(Rolling::replicas).sum();
  }

  static int statusReplicas(List<ReplicaSet> rss) {
    return rss.stream()
        .filter(Objects::nonNull)
        .mapToInt(rs -> n(rs.getStatus() == null ? null : rs.getStatus().getReplicas()))
        .sum();
  }

  static int readyReplicas(List<ReplicaSet> rss) {
    return rss.stream()
        .filter(Objects::nonNull)
        .mapToInt(rs -> n(rs.getStatus() == null ? null : rs.getStatus().getReadyReplicas()))
        .sum();
  }

  static int availableReplicas(List<ReplicaSet> rss) {
    return rss.stream().filter(Objects::nonNull).mapToInt(Rolling::available).sum();
  }

  static int available(ReplicaSet rs) {
    return n(rs.getStatus() == null ? null : rs.getStatus().getAvailableReplicas());
  }

  static int n(Integer i) {
    return i == null ? 0 : i;
  }

  /** {@code NewRSNewReplicas}: the size the new ReplicaSet may grow to now. */
  static int newRsNewReplicas(Deployment d, List<ReplicaSet> all, ReplicaSet newRs) {
    if (!isRollingUpdate(d)) {
      return replicas(d);
    }
    int surge = scaled(surgeValue(d), replicas(d), true);
    int current = specReplicas(all);
    int maxTotal = replicas(d) + surge;
    if (current >= maxTotal) {
      return replicas(newRs);
    }
    int up = Math.min(maxTotal - current, replicas(d) - replicas(newRs));
    return replicas(newRs) + up;
  }

  private static IntOrString surgeValue(Deployment d) {
    var ru =
        d.getSpec().getStrategy() == null ? null : d.getSpec().getStrategy().getRollingUpdate();
    return ru == null ? new IntOrString("25%") : ru.getMaxSurge();
  }

  /** {@code getReplicaSetFraction}: this ReplicaSet's share of a proportional resize. */
  static int fraction(ReplicaSet rs, Deployment d) {
    if (replicas(d) == 0) {
      return -replicas(rs);
    }
    int deploymentReplicas = replicas(d) + maxSurge(d);
    Integer annotated = Revisions.annotatedInt(rs, Revisions.MAX_REPLICAS);
    int base =
        annotated != null
            ? annotated
            : n(d.getStatus() == null ? null : d.getStatus().getReplicas());
    if (base == 0) {
      return 0;
    }
    double size = replicas(rs) * (double) deploymentReplicas / base;
    return (int) Math.round(size) - replicas(rs);
  }

  /** {@code GetProportion}. */
  static int proportion(ReplicaSet rs, Deployment d, int toAdd, int added) {
    if (rs == null || replicas(rs) == 0 || toAdd == 0 || toAdd == added) {
      return 0;
    }
    int f = fraction(rs, d);
    int allowed = toAdd - added;
    return toAdd > 0 ? Math.min(f, allowed) : Math.max(f, allowed);
  }
}
