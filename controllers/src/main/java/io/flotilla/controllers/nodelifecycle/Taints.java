package io.flotilla.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The node-condition taints and upstream's toleration arithmetic for NoExecute eviction ({@code
 * GetMatchingTolerations}, {@code getMinTolerationTime}). Stateless.
 */
final class Taints {
  static final String NOT_READY = "node.kubernetes.io/not-ready";
  static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  static final String NO_EXECUTE = "NoExecute";
  static final String NO_SCHEDULE = "NoSchedule";

  private Taints() {}

  static boolean tolerates(Toleration tol, Taint t) {
    if (tol.getEffect() != null
        && !tol.getEffect().isEmpty()
        && !tol.getEffect().equals(t.getEffect())) {
      return false;
    }
    if (tol.getKey() != null && !tol.getKey().isEmpty() && !tol.getKey().equals(t.getKey())) {
      return false;
    }
    String op =
        tol.getOperator() == null || tol.getOperator().isEmpty() ? "Equal" : tol.getOperator();
    if ((tol.getKey() == null || tol.getKey().isEmpty()) && !"Exists".equals(op)) {
      return false;
    }
    return "Exists".equals(op)
        || Objects.equals(
            Objects.requireNonNullElse(tol.getValue(), ""),
            Objects.requireNonNullElse(t.getValue(), ""));
  }

  /**
   * How long a pod may stay on a node with these NoExecute taints: empty when some taint is not
   * tolerated (evict now), {@link #FOREVER} when every one is tolerated without tolerationSeconds.
   */
  static Optional<Duration> minTolerationTime(List<Taint> noExecute, List<Toleration> tolerations) {
    Duration min = FOREVER;
    for (Taint t : noExecute) {
      Duration best = null;
      for (Toleration tol : tolerations) {
        if (!tolerates(tol, t)) {
          continue;
        }
        Duration d =
            tol.getTolerationSeconds() == null
                ? FOREVER
                : Duration.ofSeconds(Math.max(0, tol.getTolerationSeconds()));
        best = best == null || d.compareTo(best) > 0 ? d : best;
      }
      if (best == null) {
        return Optional.empty();
      }
      min = best.compareTo(min) < 0 ? best : min;
    }
    return Optional.of(min);
  }

  /** Stands for "no tolerationSeconds": the pod tolerates the taint for ever. */
  static final Duration FOREVER = Duration.ofDays(365L * 1000);
}
