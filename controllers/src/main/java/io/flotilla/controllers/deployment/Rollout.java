package io.flotilla.controllers.deployment;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.flotilla.controllers.runtime.EventRecorder;
import io.flotilla.controllers.runtime.Ownership;
import io.flotilla.controllers.runtime.Pods;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One reconcile of one Deployment, as upstream's deployment controller: find or create the new
 * ReplicaSet and keep the revision annotations, scale (proportionally when the Deployment is
 * resized mid-rollout), roll (RollingUpdate or Recreate), clean up old ReplicaSets beyond
 * revisionHistoryLimit, and write the status and conditions. Holds a private working copy of the
 * Deployment and its ReplicaSets, replaced by what each write returns; used by one thread.
 */
final class Rollout {
  private final KubernetesClient client;
  private final EventRecorder events;
  private final Instant now;
  private Deployment d;
  private final List<ReplicaSet> rss;
  private final Map<String, List<Pod>> podsByRs;
  private String newUid;
  Duration requeueAfter;

  Rollout(
      KubernetesClient client,
      EventRecorder events,
      Instant now,
      Deployment d,
      List<ReplicaSet> rss,
      Map<String, List<Pod>> podsByRs) {
    this.client = client;
    this.events = events;
    this.now = now;
    this.d = d;
    this.rss = new ArrayList<>(rss);
    this.podsByRs = podsByRs;
  }

  static final Comparator<ReplicaSet> BY_CREATION =
      Comparator.comparing(
              (ReplicaSet rs) ->
                  Objects.requireNonNullElse(rs.getMetadata().getCreationTimestamp(), ""))
          .thenComparing(rs -> rs.getMetadata().getName());

  // ---- the ReplicaSets -------------------------------------------------------------------------

  private ReplicaSet newRs() {
    return newUid == null
        ? null
        : rss.stream()
            .filter(rs -> rs.getMetadata().getUid().equals(newUid))
            .findFirst()
            .orElse(null);
  }

  private List<ReplicaSet> olds() {
    return rss.stream().filter(rs -> !rs.getMetadata().getUid().equals(newUid)).toList();
  }

  private List<ReplicaSet> all() {
    List<ReplicaSet> all = new ArrayList<>(olds());
    if (newRs() != null) {
      all.add(newRs());
    }
    return all;
  }

  private void replace(ReplicaSet updated) {
    rss.replaceAll(
        rs -> rs.getMetadata().getUid().equals(updated.getMetadata().getUid()) ? updated : rs);
  }

  private static List<ReplicaSet> active(List<ReplicaSet> l) {
    return l.stream().filter(rs -> Rolling.replicas(rs) > 0).toList();
  }

  /** Upstream's getAllReplicaSetsAndSyncRevision: finds (or creates) the new ReplicaSet. */
  void findNew(boolean create) {
    newUid = null;
    ReplicaSet existing =
        rss.stream()
            .sorted(BY_CREATION)
            .filter(
                rs ->
                    Revisions.equalIgnoringHash(
                        rs.getSpec().getTemplate(), d.getSpec().getTemplate()))
            .findFirst()
            .orElse(null);
    if (existing != null) {
      newUid = existing.getMetadata().getUid();
    }
    String newRevision = String.valueOf(Revisions.maxRevision(olds()) + 1);
    if (existing != null) {
      syncExisting(existing, newRevision);
    } else if (create) {
      createNew(newRevision);
    }
  }

  private void syncExisting(ReplicaSet existing, String newRevision) {
    Map<String, String> ann = Revisions.mutableAnnotations(existing);
    boolean changed =
        Revisions.setNewReplicaSetAnnotations(d, ann, newRevision, true, Rolling.maxSurge(d));
    Integer minReady = d.getSpec().getMinReadySeconds();
    boolean minReadyChanged =
        !Objects.equals(nz(existing.getSpec().getMinReadySeconds()), nz(minReady));
    ReplicaSet rs = existing;
    if (changed || minReadyChanged) {
      rs =
          update(
              new ReplicaSetBuilder(existing)
                  .editMetadata()
                  .withAnnotations(ann)
                  .endMetadata()
                  .editSpec()
                  .withMinReadySeconds(minReady)
                  .endSpec()
                  .build());
    }
    setDeploymentRevision(Revisions.annotations(rs).get(Revisions.REVISION));
    if (Conditions.hasProgressDeadline(d)
        && Conditions.get(d.getStatus(), Conditions.PROGRESSING).isEmpty()) {
      DeploymentStatus s = copyStatus();
      Conditions.set(
          s,
          Conditions.condition(
              Conditions.PROGRESSING,
              "True",
              Conditions.FOUND_NEW_RS,
              "Found new replica set \"" + rs.getMetadata().getName() + "\"",
              now));
      writeStatus(s);
    }
  }

  private void createNew(String newRevision) {
    Integer collisions = d.getStatus() == null ? null : d.getStatus().getCollisionCount();
    String hash = Revisions.hash(d.getSpec().getTemplate(), collisions);
    var template =
        new PodTemplateSpecBuilder(d.getSpec().getTemplate())
            .editOrNewMetadata()
            .addToLabels(Revisions.HASH_LABEL, hash)
            .endMetadata()
            .build();
    var selector =
        new LabelSelectorBuilder(d.getSpec().getSelector())
            .addToMatchLabels(Revisions.HASH_LABEL, hash)
            .build();
    Map<String, String> ann = new java.util.HashMap<>();
    Revisions.setNewReplicaSetAnnotations(d, ann, newRevision, false, Rolling.maxSurge(d));
    ReplicaSet rs =
        new ReplicaSetBuilder()
            .withNewMetadata()
            .withName(d.getMetadata().getName() + "-" + hash)
            .withNamespace(d.getMetadata().getNamespace())
            .withLabels(template.getMetadata().getLabels())
            .withAnnotations(ann)
            .withOwnerReferences(Ownership.controllerRef(d, "apps/v1", "Deployment"))
            .endMetadata()
            .withNewSpec()
            .withReplicas(0)
            .withMinReadySeconds(d.getSpec().getMinReadySeconds())
            .withSelector(selector)
            .withTemplate(template)
            .endSpec()
            .build();
    List<ReplicaSet> withNew = new ArrayList<>(olds());
    withNew.add(rs);
    int replicas = Rolling.newRsNewReplicas(d, withNew, rs);
    rs.getSpec().setReplicas(replicas);
    ReplicaSet created;
    boolean alreadyExisted = false;
    try {
      created =
          client
              .apps()
              .replicaSets()
              .inNamespace(d.getMetadata().getNamespace())
              .resource(rs)
              .create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      ReplicaSet there =
          client
              .apps()
              .replicaSets()
              .inNamespace(d.getMetadata().getNamespace())
              .withName(rs.getMetadata().getName())
              .get();
      boolean ours =
          there != null
              && Pods.controllerOf(there)
                  .map(r -> r.getUid().equals(d.getMetadata().getUid()))
                  .orElse(false);
      if (ours
          && Revisions.equalIgnoringHash(
              there.getSpec().getTemplate(), d.getSpec().getTemplate())) {
        created = there;
        alreadyExisted = true;
      } else {
        // A hash collision: count it so the next hash differs, and try again.
        DeploymentStatus s = copyStatus();
        s.setCollisionCount(collisions == null ? 1 : collisions + 1);
        writeStatus(s);
        throw new IllegalStateException(
            "replica set "
                + rs.getMetadata().getName()
                + " exists and is not this deployment's; retrying with collisionCount "
                + s.getCollisionCount());
      }
    }
    if (!alreadyExisted && replicas > 0) {
      events.normal(
          d,
          "ScalingReplicaSet",
          "Scaled up replica set %s from 0 to %d",
          created.getMetadata().getName(),
          replicas);
    }
    rss.add(created);
    newUid = created.getMetadata().getUid();
    setDeploymentRevision(newRevision);
    if (!alreadyExisted && Conditions.hasProgressDeadline(d)) {
      DeploymentStatus s = copyStatus();
      Conditions.set(
          s,
          Conditions.condition(
              Conditions.PROGRESSING,
              "True",
              Conditions.NEW_RS_CREATED,
              "Created new replica set \"" + created.getMetadata().getName() + "\"",
              now));
      writeStatus(s);
    }
  }

  // ---- writes --------------------------------------------------------------------------------

  private ReplicaSet update(ReplicaSet copy) {
    ReplicaSet updated =
        client
            .apps()
            .replicaSets()
            .inNamespace(copy.getMetadata().getNamespace())
            .resource(copy)
            .update();
    replace(updated);
    return updated;
  }

  private void setDeploymentRevision(String revision) {
    if (revision == null || revision.equals(Revisions.annotations(d).get(Revisions.REVISION))) {
      return;
    }
    String patch =
        "{\"metadata\":{\"annotations\":{\"" + Revisions.REVISION + "\":\"" + revision + "\"}}}";
    Deployment updated =
        client
            .apps()
            .deployments()
            .inNamespace(d.getMetadata().getNamespace())
            .withName(d.getMetadata().getName())
            .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    d = new DeploymentBuilder(updated).withStatus(d.getStatus()).build();
  }

  DeploymentStatus copyStatus() {
    return d.getStatus() == null
        ? new DeploymentStatus()
        : new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder(d.getStatus()).build();
  }

  void writeStatus(DeploymentStatus s) {
    if (s.getConditions() == null) {
      s.setConditions(new ArrayList<>());
    }
    Deployment copy = new DeploymentBuilder(d).withStatus(s).build();
    d =
        client
            .apps()
            .deployments()
            .inNamespace(d.getMetadata().getNamespace())
            .resource(copy)
            .updateStatus();
  }

  /**
   * Scales {@code rs} to {@code n}, recording "Scaled up/down replica set" when the size changes.
   */
  private boolean scaleAndRecord(ReplicaSet rs, int n) {
    if (Rolling.replicas(rs) == n) {
      return false;
    }
    return scale(rs, n, Rolling.replicas(rs) < n ? "up" : "down");
  }

  private boolean scale(ReplicaSet rs, int n, String op) {
    int desired = Rolling.replicas(d);
    int max = desired + Rolling.maxSurge(d);
    boolean sizeChange = Rolling.replicas(rs) != n;
    if (!sizeChange && !Revisions.replicasAnnotationsNeedUpdate(rs, desired, max)) {
      return false;
    }
    Map<String, String> ann = Revisions.mutableAnnotations(rs);
    Revisions.setReplicasAnnotations(ann, desired, max);
    int old = Rolling.replicas(rs);
    ReplicaSet updated =
        update(
            new ReplicaSetBuilder(rs)
                .editMetadata()
                .withAnnotations(ann)
                .endMetadata()
                .editSpec()
                .withReplicas(n)
                .endSpec()
                .build());
    if (sizeChange) {
      events.normal(
          d,
          "ScalingReplicaSet",
          "Scaled %s replica set %s from %d to %d",
          op,
          updated.getMetadata().getName(),
          old,
          n);
    }
    return sizeChange;
  }

  // ---- scaling (also while paused) ----------------------------------------------------------

  /** Upstream's isScalingEvent: an active ReplicaSet was sized for another replica count. */
  boolean isScalingEvent() {
    findNew(false);
    for (ReplicaSet rs : active(all())) {
      Integer desired = Revisions.annotatedInt(rs, Revisions.DESIRED_REPLICAS);
      if (desired != null && desired != Rolling.replicas(d)) {
        return true;
      }
    }
    return false;
  }

  /** Upstream's sync: scale to the replica count (proportionally), clean up if paused, status. */
  void sync() {
    findNew(false);
    scaleToReplicas();
    if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
      cleanup();
    }
    syncStatus();
  }

  private void scaleToReplicas() {
    ReplicaSet activeOrLatest = activeOrLatest();
    if (activeOrLatest != null) {
      if (Rolling.replicas(activeOrLatest) != Rolling.replicas(d)) {
        scaleAndRecord(activeOrLatest, Rolling.replicas(d));
      }
      return;
    }
    ReplicaSet newRs = newRs();
    if (saturated(newRs)) {
      for (ReplicaSet old : active(olds())) {
        scaleAndRecord(old, 0);
      }
      return;
    }
    if (!Rolling.isRollingUpdate(d)) {
      return;
    }
    List<ReplicaSet> all = new ArrayList<>(active(all()));
    int allowed = Rolling.replicas(d) > 0 ? Rolling.replicas(d) + Rolling.maxSurge(d) : 0;
    int toAdd = allowed - Rolling.specReplicas(all);
    String op = null;
    if (toAdd > 0) {
      all.sort(
          Comparator.comparingInt((ReplicaSet rs) -> -Rolling.replicas(rs))
              .thenComparing(BY_CREATION.reversed()));
      op = "up";
    } else if (toAdd < 0) {
      all.sort(
          Comparator.comparingInt((ReplicaSet rs) -> -Rolling.replicas(rs))
              .thenComparing(BY_CREATION));
      op = "down";
    }
    int added = 0;
    Map<String, Integer> sizes = new java.util.HashMap<>();
    for (ReplicaSet rs : all) {
      int p = toAdd != 0 ? Rolling.proportion(rs, d, toAdd, added) : 0;
      sizes.put(rs.getMetadata().getName(), Rolling.replicas(rs) + p);
      added += p;
    }
    for (int i = 0; i < all.size(); i++) {
      ReplicaSet rs = all.get(i);
      String name = rs.getMetadata().getName();
      if (i == 0 && toAdd != 0) {
        sizes.put(name, Math.max(0, sizes.get(name) + toAdd - added));
      }
      scale(rs, sizes.get(name), op == null ? "up" : op);
    }
  }

  private ReplicaSet activeOrLatest() {
    ReplicaSet newRs = newRs();
    List<ReplicaSet> olds = new ArrayList<>(olds());
    if (newRs == null && olds.isEmpty()) {
      return null;
    }
    olds.sort(BY_CREATION.reversed());
    List<ReplicaSet> all = new ArrayList<>(olds);
    if (newRs != null) {
      all.add(newRs);
    }
    List<ReplicaSet> act = active(all);
    if (act.isEmpty()) {
      return newRs != null ? newRs : olds.get(0);
    }
    return act.size() == 1 ? act.get(0) : null;
  }

  private boolean saturated(ReplicaSet rs) {
    if (rs == null) {
      return false;
    }
    Integer desired = Revisions.annotatedInt(rs, Revisions.DESIRED_REPLICAS);
    int r = Rolling.replicas(d);
    return desired != null
        && desired == r
        && Rolling.replicas(rs) == r
        && Rolling.available(rs) == r;
  }

  // ---- strategies ----------------------------------------------------------------------------

  void rolling() {
    findNew(true);
    ReplicaSet newRs = newRs();
    if (reconcileNew(newRs)) {
      syncRolloutStatus();
      return;
    }
    if (reconcileOlds()) {
      syncRolloutStatus();
      return;
    }
    if (Conditions.complete(d, d.getStatus() == null ? new DeploymentStatus() : d.getStatus())) {
      cleanup();
    }
    syncRolloutStatus();
  }

  private boolean reconcileNew(ReplicaSet newRs) {
    int r = Rolling.replicas(d);
    if (Rolling.replicas(newRs) == r) {
      return false;
    }
    if (Rolling.replicas(newRs) > r) {
      return scaleAndRecord(newRs, r);
    }
    return scaleAndRecord(newRs, Rolling.newRsNewReplicas(d, all(), newRs));
  }

  private boolean reconcileOlds() {
    List<ReplicaSet> olds = active(olds());
    if (Rolling.specReplicas(olds) == 0) {
      return false;
    }
    ReplicaSet newRs = newRs();
    int minAvailable = Rolling.replicas(d) - Rolling.maxUnavailable(d);
    int newUnavailable = Rolling.replicas(newRs) - Rolling.available(newRs);
    int maxScaledDown = Rolling.specReplicas(all()) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) {
      return false;
    }
    // First the old replicas that are not available anyway (cleanupUnhealthyReplicas) ...
    int cleaned = 0;
    for (ReplicaSet rs : olds.stream().sorted(BY_CREATION).toList()) {
      if (cleaned >= maxScaledDown) {
        break;
      }
      int unhealthy = Rolling.replicas(rs) - Rolling.available(rs);
      if (Rolling.replicas(rs) == 0 || unhealthy <= 0) {
        continue;
      }
      int down = Math.min(maxScaledDown - cleaned, unhealthy);
      scaleAndRecord(rs, Rolling.replicas(rs) - down);
      cleaned += down;
    }
    // ... then available ones, down to minAvailable (scaleDownOldReplicaSetsForRollingUpdate).
    int available = Rolling.availableReplicas(all());
    int scaledDown = 0;
    if (available > minAvailable) {
      int total = available - minAvailable;
      for (ReplicaSet rs : active(olds()).stream().sorted(BY_CREATION).toList()) {
        if (scaledDown >= total) {
          break;
        }
        int down = Math.min(Rolling.replicas(rs), total - scaledDown);
        scaleAndRecord(rs, Rolling.replicas(rs) - down);
        scaledDown += down;
      }
    }
    return cleaned + scaledDown > 0;
  }

  void recreate() {
    findNew(false);
    boolean scaledDown = false;
    for (ReplicaSet rs : active(olds())) {
      scaledDown |= scaleAndRecord(rs, 0);
    }
    if (scaledDown || oldPodsRunning()) {
      syncRolloutStatus();
      return;
    }
    if (newRs() == null) {
      findNew(true);
    }
    scaleAndRecord(newRs(), Rolling.replicas(d));
    if (Conditions.complete(d, d.getStatus() == null ? new DeploymentStatus() : d.getStatus())) {
      cleanup();
    }
    syncRolloutStatus();
  }

  private boolean oldPodsRunning() {
    if (Rolling.statusReplicas(olds()) > 0) {
      return true;
    }
    for (ReplicaSet rs : olds()) {
      for (Pod p : podsByRs.getOrDefault(rs.getMetadata().getUid(), List.of())) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        if (!"Failed".equals(phase) && !"Succeeded".equals(phase)) {
          return true;
        }
      }
    }
    return false;
  }

  // ---- cleanup and status --------------------------------------------------------------------

  /** Deletes the oldest scaled-down ReplicaSets beyond revisionHistoryLimit. */
  private void cleanup() {
    Integer limit = d.getSpec().getRevisionHistoryLimit();
    if (limit == null) {
      return;
    }
    List<ReplicaSet> cleanable =
        olds().stream().filter(rs -> rs.getMetadata().getDeletionTimestamp() == null).toList();
    int diff = cleanable.size() - limit;
    if (diff <= 0) {
      return;
    }
    List<ReplicaSet> byRevision =
        cleanable.stream()
            .sorted(Comparator.comparingLong(Revisions::revision).thenComparing(BY_CREATION))
            .toList();
    for (int i = 0; i < diff; i++) {
      ReplicaSet rs = byRevision.get(i);
      long observed =
          rs.getStatus() == null || rs.getStatus().getObservedGeneration() == null
              ? 0
              : rs.getStatus().getObservedGeneration();
      long gen = rs.getMetadata().getGeneration() == null ? 0 : rs.getMetadata().getGeneration();
      int statusReplicas = rs.getStatus() == null ? 0 : Rolling.n(rs.getStatus().getReplicas());
      if (statusReplicas != 0 || Rolling.replicas(rs) != 0 || gen > observed) {
        continue;
      }
      client
          .apps()
          .replicaSets()
          .inNamespace(rs.getMetadata().getNamespace())
          .withName(rs.getMetadata().getName())
          .delete();
    }
  }

  /** Upstream's syncDeploymentStatus: counters and Available only. */
  void syncStatus() {
    DeploymentStatus s = Conditions.calculate(all(), newRs(), d, now);
    if (!s.equals(d.getStatus())) {
      writeStatus(s);
    }
  }

  /** Upstream's syncRolloutStatus, and a look again when the progress deadline passes. */
  void syncRolloutStatus() {
    DeploymentStatus s = RolloutStatus.rollout(d, all(), newRs(), olds(), now);
    if (!s.equals(d.getStatus())) {
      writeStatus(s);
    }
    requeueAfter = RolloutStatus.stuckRequeue(d, now);
  }

  /** Upstream's checkPausedConditions. */
  void checkPausedConditions() {
    DeploymentStatus s = RolloutStatus.pausedConditions(d, copyStatus(), now);
    if (s != null) {
      writeStatus(s);
    }
  }

  Deployment deployment() {
    return d;
  }

  private static int nz(Integer i) {
    return i == null ? 0 : i;
  }
}
