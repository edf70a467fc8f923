package io.flotilla.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.flotilla.controllers.runtime.Pods;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Deployment conditions and status as upstream computes them: the Available condition from minimum
 * availability, the Progressing condition's reasons, progress-deadline checks and the status
 * counters. Stateless.
 */
final class Conditions {
  static final String AVAILABLE = "Available";
  static final String PROGRESSING = "Progressing";
  static final String REPLICA_FAILURE = "ReplicaFailure";
  static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
  static final String RS_UPDATED = "ReplicaSetUpdated";
  static final String TIMED_OUT = "ProgressDeadlineExceeded";
  static final String FOUND_NEW_RS = "FoundNewReplicaSet";
  static final String NEW_RS_CREATED = "NewReplicaSetCreated";
  static final String PAUSED = "DeploymentPaused";
  static final String RESUMED = "DeploymentResumed";
  static final String MIN_AVAILABLE = "MinimumReplicasAvailable";
  static final String MIN_UNAVAILABLE = "MinimumReplicasUnavailable";

  private Conditions() {}

  static Optional<DeploymentCondition> get(DeploymentStatus s, String type) {
    if (s == null || s.getConditions() == null) {
      return Optional.empty();
    }
    return s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  static DeploymentCondition condition(
      String type, String status, String reason, String message, Instant now) {
    String t = Pods.timestamp(now);
    return new DeploymentCondition(t, t, message, reason, status, type);
  }

  /**
   * Upstream's SetDeploymentCondition: same status and reason → unchanged; same status → keep the
   * transition time.
   */
  static void set(DeploymentStatus s, DeploymentCondition c) {
    Optional<DeploymentCondition> cur = get(s, c.getType());
    if (cur.isPresent()
        && cur.get().getStatus().equals(c.getStatus())
        && java.util.Objects.equals(cur.get().getReason(), c.getReason())) {
      return;
    }
    if (cur.isPresent() && cur.get().getStatus().equals(c.getStatus())) {
      c.setLastTransitionTime(cur.get().getLastTransitionTime());
    }
    remove(s, c.getType());
    s.getConditions().add(c);
  }

  static void remove(DeploymentStatus s, String type) {
    List<DeploymentCondition> kept = new ArrayList<>();
    if (s.getConditions() != null) {
      s.getConditions().stream().filter(c -> !type.equals(c.getType())).forEach(kept::add);
    }
    s.setConditions(kept);
  }

  static boolean hasProgressDeadline(Deployment d) {
    Integer p = d.getSpec().getProgressDeadlineSeconds();
    return p != null && p != Integer.MAX_VALUE;
  }

  /** Upstream's calculateStatus: counters from the ReplicaSets, and the Available condition. */
  static DeploymentStatus calculate(
      List<ReplicaSet> all, ReplicaSet newRs, Deployment d, Instant now) {
    int available = Rolling.availableReplicas(all);
    int total = Rolling.specReplicas(all);
    DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    List<DeploymentCondition> conds = new ArrayList<>();
    if (old.getConditions() != null) {
      old.getConditions()
          .forEach(
              c ->
                  conds.add(
                      new io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder(c)
                          .build()));
    }
    DeploymentStatus s =
        new DeploymentStatusBuilder()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withReplicas(Rolling.statusReplicas(all))
            .withUpdatedReplicas(newRs == null ? 0 : Rolling.statusReplicas(List.of(newRs)))
            .withReadyReplicas(Rolling.readyReplicas(all))
            .withAvailableReplicas(available)
            .withUnavailableReplicas(Math.max(0, total - available))
            .withCollisionCount(old.getCollisionCount())
            .withConditions(conds)
            .build();
    if (available >= Rolling.replicas(d) - Rolling.maxUnavailable(d)) {
      set(
          s,
          condition(AVAILABLE, "True", MIN_AVAILABLE, "Deployment has minimum availability.", now));
    } else {
      set(
          s,
          condition(
              AVAILABLE,
              "False",
              MIN_UNAVAILABLE,
              "Deployment does not have minimum availability.",
              now));
    }
    return s;
  }

  static boolean complete(Deployment d, DeploymentStatus s) {
    int r = Rolling.replicas(d);
    long gen = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
    return Rolling.n(s.getUpdatedReplicas()) == r
        && Rolling.n(s.getReplicas()) == r
        && Rolling.n(s.getAvailableReplicas()) == r
        && (s.getObservedGeneration() == null ? 0 : s.getObservedGeneration()) >= gen;
  }

  static boolean progressing(Deployment d, DeploymentStatus s) {
    DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    int oldOld = Rolling.n(old.getReplicas()) - Rolling.n(old.getUpdatedReplicas());
    int newOld = Rolling.n(s.getReplicas()) - Rolling.n(s.getUpdatedReplicas());
    return Rolling.n(s.getUpdatedReplicas()) > Rolling.n(old.getUpdatedReplicas())
        || newOld < oldOld
        || Rolling.n(s.getReadyReplicas()) > Rolling.n(old.getReadyReplicas())
        || Rolling.n(s.getAvailableReplicas()) > Rolling.n(old.getAvailableReplicas());
  }

  static boolean timedOut(Deployment d, DeploymentStatus s, Instant now) {
    if (!hasProgressDeadline(d)) {
      return false;
    }
    Optional<DeploymentCondition> c = get(s, PROGRESSING);
    if (c.isEmpty() || NEW_RS_AVAILABLE.equals(c.get().getReason())) {
      return false;
    }
    if (TIMED_OUT.equals(c.get().getReason())) {
      return true;
    }
    return deadline(d, c.get()).isBefore(now);
  }

  static Instant deadline(Deployment d, DeploymentCondition progressing) {
    String from =
        progressing.getLastUpdateTime() != null
            ? progressing.getLastUpdateTime()
            : progressing.getLastTransitionTime();
    return Instant.parse(from).plus(Duration.ofSeconds(d.getSpec().getProgressDeadlineSeconds()));
  }
}
