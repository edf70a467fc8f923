package io.flotilla.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The status a rollout writes, as upstream's syncRolloutStatus, checkPausedConditions and
 * requeueStuckDeployment compute it: counters, Available, the Progressing reasons and the progress
 * deadline, ReplicaFailure. Pure functions of the Deployment, its ReplicaSets and the time.
 */
final class RolloutStatus {
  private RolloutStatus() {}

  /** Upstream's syncRolloutStatus: the status with the Progressing condition and deadline. */
  static DeploymentStatus rollout(
      Deployment d, List<ReplicaSet> all, ReplicaSet newRs, List<ReplicaSet> olds, Instant now) {
    DeploymentStatus s = Conditions.calculate(all, newRs, d, now);
    if (!Conditions.hasProgressDeadline(d)) {
      Conditions.remove(s, Conditions.PROGRESSING);
    }
    var current = Conditions.get(d.getStatus(), Conditions.PROGRESSING);
    boolean completeAlready =
        Objects.equals(s.getReplicas(), s.getUpdatedReplicas())
            && current.map(c -> Conditions.NEW_RS_AVAILABLE.equals(c.getReason())).orElse(false);
    String name = newRs == null ? "" : newRs.getMetadata().getName();
    if (Conditions.hasProgressDeadline(d) && !completeAlready) {
      if (Conditions.complete(d, s)) {
        Conditions.set(
            s,
            Conditions.condition(
                Conditions.PROGRESSING,
                "True",
                Conditions.NEW_RS_AVAILABLE,
                "ReplicaSet \"" + name + "\" has successfully progressed.",
                now));
      } else if (Conditions.progressing(d, s)) {
        var c =
            Conditions.condition(
                Conditions.PROGRESSING,
                "True",
                Conditions.RS_UPDATED,
                "ReplicaSet \"" + name + "\" is progressing.",
                now);
        if (current.isPresent() && "True".equals(current.get().getStatus())) {
          c.setLastTransitionTime(current.get().getLastTransitionTime());
        }
        Conditions.remove(s, Conditions.PROGRESSING);
        s.getConditions().add(c);
      } else if (Conditions.timedOut(d, s, now)) {
        Conditions.set(
            s,
            Conditions.condition(
                Conditions.PROGRESSING,
                "False",
                Conditions.TIMED_OUT,
                "ReplicaSet \"" + name + "\" has timed out progressing.",
                now));
      }
    }
    var failure = replicaFailure(newRs, olds);
    if (failure != null) {
      Conditions.set(s, failure);
    } else {
      Conditions.remove(s, Conditions.REPLICA_FAILURE);
    }
    return s;
  }

  /** The first ReplicaFailure of the new, then the old ReplicaSets, as a Deployment condition. */
  static io.fabric8.kubernetes.api.model.apps.DeploymentCondition replicaFailure(
      ReplicaSet newRs, List<ReplicaSet> olds) {
    List<ReplicaSet> order = new ArrayList<>();
    if (newRs != null) {
      order.add(newRs);
    }
    order.addAll(olds);
    for (ReplicaSet rs : order) {
      if (rs.getStatus() == null || rs.getStatus().getConditions() == null) {
        continue;
      }
      for (var c : rs.getStatus().getConditions()) {
        if (Conditions.REPLICA_FAILURE.equals(c.getType()) && "True".equals(c.getStatus())) {
          return new io.fabric8.kubernetes.api.model.apps.DeploymentCondition(
              c.getLastTransitionTime(),
              c.getLastTransitionTime(),
              c.getMessage(),
              c.getReason(),
              c.getStatus(),
              c.getType());
        }
      }
    }
    return null;
  }

  /** Upstream's requeueStuckDeployment: when to look again for the progress deadline, or null. */
  static Duration stuckRequeue(Deployment d, Instant now) {
    var c = Conditions.get(d.getStatus(), Conditions.PROGRESSING);
    if (!Conditions.hasProgressDeadline(d)
        || c.isEmpty()
        || Conditions.TIMED_OUT.equals(c.get().getReason())) {
      return null;
    }
    if (Conditions.complete(d, d.getStatus())) {
      return null;
    }
    Duration after = Duration.between(now, Conditions.deadline(d, c.get()));
    return after.compareTo(Duration.ofSeconds(1)) < 0
        ? Duration.ofSeconds(1)
        : after.plusSeconds(1);
  }

  /** Upstream's checkPausedConditions: the status to write ({@code s} changed), or null. */
  static DeploymentStatus pausedConditions(Deployment d, DeploymentStatus s, Instant now) {
    if (!Conditions.hasProgressDeadline(d)) {
      return null;
    }
    var c = Conditions.get(d.getStatus(), Conditions.PROGRESSING);
    if (c.isPresent() && Conditions.TIMED_OUT.equals(c.get().getReason())) {
      return null;
    }
    boolean pausedCond = c.isPresent() && Conditions.PAUSED.equals(c.get().getReason());
    boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
    if (s.getConditions() == null) {
      s.setConditions(new ArrayList<>());
    }
    if (paused && !pausedCond) {
      Conditions.set(
          s,
          Conditions.condition(
              Conditions.PROGRESSING, "Unknown", Conditions.PAUSED, "Deployment is paused", now));
    } else if (!paused && pausedCond) {
      Conditions.set(
          s,
          Conditions.condition(
              Conditions.PROGRESSING, "Unknown", Conditions.RESUMED, "Deployment is resumed", now));
    } else {
      return null;
    }
    return s;
  }
}
