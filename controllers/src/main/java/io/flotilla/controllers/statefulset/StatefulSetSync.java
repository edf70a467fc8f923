package io.flotilla.controllers.statefulset;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.flotilla.controllers.history.Revisions;
import io.flotilla.controllers.runtime.Keys;
import io.flotilla.controllers.runtime.Pods;
import io.flotilla.controllers.runtime.Result;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/** One reconcile of one StatefulSet (upstream's {@code updateStatefulSet}). Not shared. */
final class StatefulSetSync {
  private final StatefulSetController c;
  private final StatefulSet set;
  private final Instant now;
  private final int minReady;
  private final boolean parallel;

  StatefulSetSync(StatefulSetController c, StatefulSet set) {
    this.c = c;
    this.set = set;
    this.now = c.ctx.clock().now();
    this.minReady = Objects.requireNonNullElse(set.getSpec().getMinReadySeconds(), 0);
    this.parallel = "Parallel".equals(set.getSpec().getPodManagementPolicy());
  }

  Result run() {
    String ns = set.getMetadata().getNamespace();
    List<ControllerRevision> owned = new ArrayList<>();
    for (ControllerRevision r : c.revisions.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns)) {
      if (ownedBySet(r)) {
        owned.add(r);
      }
    }
    ControllerRevision update =
        Revisions.ensure(
            c.ctx.client(),
            set,
            "apps/v1",
            "StatefulSet",
            set.getSpec().getTemplate().getMetadata() == null
                ? null
                : set.getSpec().getTemplate().getMetadata().getLabels(),
            Revisions.data(set.getSpec().getTemplate()),
            set.getStatus() == null ? null : set.getStatus().getCollisionCount(),
            owned);
    String updateRev = update.getMetadata().getName();
    String currentRev =
        set.getStatus() == null || set.getStatus().getCurrentRevision() == null
            ? updateRev
            : set.getStatus().getCurrentRevision();
    ControllerRevision current =
        owned.stream()
            .filter(r -> r.getMetadata().getName().equals(currentRev))
            .findFirst()
            .orElse(update);
    int replicas = Objects.requireNonNullElse(set.getSpec().getReplicas(), 1);
    int start =
        set.getSpec().getOrdinals() == null || set.getSpec().getOrdinals().getStart() == null
            ? 0
            : set.getSpec().getOrdinals().getStart();
    TreeMap<Integer, Pod> slots = new TreeMap<>();
    TreeMap<Integer, Pod> condemned = new TreeMap<>();
    for (Pod p : c.pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns)) {
      int ord = ownedBySet(p) ? StatefulPods.ordinal(set, p) : -1;
      if (ord < 0) {
        continue;
      }
      (ord >= start && ord < start + replicas ? slots : condemned).put(ord, p);
    }
    List<Pod> all = new ArrayList<>(slots.values());
    all.addAll(condemned.values());
    StatefulSetStatus st = status(all, currentRev, updateRev, replicas);
    Result r = manage(slots, condemned, start, replicas, current, update, st);
    writeStatus(st);
    truncateHistory(owned, currentRev, updateRev, all);
    return r;
  }

  private boolean ownedBySet(io.fabric8.kubernetes.api.model.HasMetadata o) {
    return Pods.controllerOf(o)
        .map(x -> Objects.equals(x.getUid(), set.getMetadata().getUid()))
        .orElse(false);
  }

  private boolean healthy(Pod p) {
    return runningAndReady(p)
        && p.getMetadata().getDeletionTimestamp() == null
        && Pods.isAvailable(p, minReady, now);
  }

  private static boolean runningAndReady(Pod p) {
    return p.getStatus() != null && "Running".equals(p.getStatus().getPhase()) && Pods.isReady(p);
  }

  private static boolean terminal(Pod p) {
    return p.getStatus() != null
        && ("Failed".equals(p.getStatus().getPhase())
            || "Succeeded".equals(p.getStatus().getPhase()));
  }

  private Result manage(
      TreeMap<Integer, Pod> slots,
      TreeMap<Integer, Pod> condemned,
      int start,
      int replicas,
      ControllerRevision current,
      ControllerRevision update,
      StatefulSetStatus st) {
    boolean rolling =
        set.getSpec().getUpdateStrategy() == null
            || !"OnDelete".equals(set.getSpec().getUpdateStrategy().getType());
    Integer partition =
        rolling
                && set.getSpec().getUpdateStrategy() != null
                && set.getSpec().getUpdateStrategy().getRollingUpdate() != null
            ? set.getSpec().getUpdateStrategy().getRollingUpdate().getPartition()
            : null;
    int currentReplicas = Objects.requireNonNullElse(st.getCurrentReplicas(), 0);
    for (int ord = start; ord < start + replicas; ord++) {
      Pod p = slots.get(ord);
      if (p != null && terminal(p) && p.getMetadata().getDeletionTimestamp() == null) {
        c.events.warning(
            set,
            "RecreatingFailedPod",
            "StatefulSet %s/%s is recreating failed Pod %s",
            set.getMetadata().getNamespace(),
            set.getMetadata().getName(),
            p.getMetadata().getName());
        deletePod(p);
        if (!parallel) {
          return Result.done();
        }
        continue;
      }
      if (p == null) {
        // Upstream newVersionedStatefulSetPod: below the partition (or the current count without
        // one) a pod is made from the current revision while a rollout is under way.
        boolean useCurrent =
            rolling
                && !current.getMetadata().getName().equals(update.getMetadata().getName())
                && (partition == null ? ord < start + currentReplicas : ord < start + partition);
        ControllerRevision rev = useCurrent ? current : update;
        createClaims(ord);
        createPod(StatefulPods.template(rev), ord, rev.getMetadata().getName());
        if (!parallel) {
          return Result.done();
        }
        continue;
      }
      updateClaimOwners(p, ord, false);
      if (!parallel && (p.getMetadata().getDeletionTimestamp() != null || !healthy(p))) {
        return Result.done();
      }
    }
    // Condemned pods go highest ordinal first; OrderedReady waits for each to be gone.
    for (Integer ord : condemned.descendingKeySet()) {
      Pod p = condemned.get(ord);
      if (p.getMetadata().getDeletionTimestamp() != null) {
        if (!parallel) {
          return Result.done();
        }
        continue;
      }
      if (!parallel && slots.values().stream().anyMatch(x -> !healthy(x))) {
        return Result.done();
      }
      updateClaimOwners(p, ord, true);
      deletePod(p);
      if (!parallel) {
        return Result.done();
      }
    }
    if (!rolling) {
      return Result.done();
    }
    int min = start + Math.max(0, Objects.requireNonNullElse(partition, 0));
    for (Integer ord : slots.descendingKeySet()) {
      if (ord < min) {
        break;
      }
      Pod p = slots.get(ord);
      if (!update.getMetadata().getName().equals(StatefulPods.revisionOf(p))
          && p.getMetadata().getDeletionTimestamp() == null) {
        c.events.normal(
            set,
            "SuccessfulDelete",
            "delete Pod %s in StatefulSet %s successful",
            p.getMetadata().getName(),
            set.getMetadata().getName());
        c.ctx.client().pods().resource(p).delete();
        return Result.done();
      }
      if (!healthy(p)) {
        return Result.done();
      }
    }
    return Result.done();
  }

  private void createPod(PodTemplateSpec template, int ord, String revision) {
    Pod pod = StatefulPods.newPod(set, template, ord, revision);
    try {
      c.ctx.client().pods().inNamespace(set.getMetadata().getNamespace()).resource(pod).create();
      c.events.normal(
          set,
          "SuccessfulCreate",
          "create Pod %s in StatefulSet %s successful",
          pod.getMetadata().getName(),
          set.getMetadata().getName());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return; // the cache lags behind our own create
      }
      c.events.warning(
          set,
          "FailedCreate",
          "create Pod %s in StatefulSet %s failed error: %s",
          pod.getMetadata().getName(),
          set.getMetadata().getName(),
          e.getMessage());
      throw e;
    }
  }

  private void deletePod(Pod p) {
    try {
      c.ctx
          .client()
          .pods()
          .inNamespace(p.getMetadata().getNamespace())
          .withName(p.getMetadata().getName())
          .delete();
      c.events.normal(
          set,
          "SuccessfulDelete",
          "delete Pod %s in StatefulSet %s successful",
          p.getMetadata().getName(),
          set.getMetadata().getName());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        c.events.warning(
            set,
            "FailedDelete",
            "delete Pod %s in StatefulSet %s failed error: %s",
            p.getMetadata().getName(),
            set.getMetadata().getName(),
            e.getMessage());
        throw e;
      }
    }
  }

  private void createClaims(int ord) {
    for (PersistentVolumeClaim claim : StatefulPods.claims(set, ord)) {
      String key = Keys.of(claim);
      if (c.claims.getStore().getByKey(key) != null) {
        continue;
      }
      if (deletesWithSet()) {
        claim.getMetadata().setOwnerReferences(List.of(setRef()));
      }
      try {
        c.ctx
            .client()
            .persistentVolumeClaims()
            .inNamespace(set.getMetadata().getNamespace())
            .resource(claim)
            .create();
        c.events.normal(
            set,
            "SuccessfulCreate",
            "create Claim %s Pod %s in StatefulSet %s success",
            claim.getMetadata().getName(),
            StatefulPods.podName(set, ord),
            set.getMetadata().getName());
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          c.events.warning(
              set,
              "FailedCreate",
              "create Claim %s for Pod %s in StatefulSet %s failed error: %s",
              claim.getMetadata().getName(),
              StatefulPods.podName(set, ord),
              set.getMetadata().getName(),
              e.getMessage());
          throw e;
        }
      }
    }
  }

  private boolean deletesWithSet() {
    var p = set.getSpec().getPersistentVolumeClaimRetentionPolicy();
    return p != null && "Delete".equals(p.getWhenDeleted());
  }

  private boolean deletesWhenScaled() {
    var p = set.getSpec().getPersistentVolumeClaimRetentionPolicy();
    return p != null && "Delete".equals(p.getWhenScaled());
  }

  private OwnerReference setRef() {
    return StatefulPods.ref(
        "apps/v1", "StatefulSet", set.getMetadata().getName(), set.getMetadata().getUid());
  }

  /** Upstream's {@code updateClaimOwnerRefForSetAndPod}: the set or the pod owns the claim. */
  private void updateClaimOwners(Pod pod, int ord, boolean scaledDown) {
    for (PersistentVolumeClaim want : StatefulPods.claims(set, ord)) {
      PersistentVolumeClaim have = c.claims.getStore().getByKey(Keys.of(want));
      if (have == null) {
        continue;
      }
      List<OwnerReference> refs =
          new ArrayList<>(
              have.getMetadata().getOwnerReferences() == null
                  ? List.of()
                  : have.getMetadata().getOwnerReferences());
      List<OwnerReference> before = List.copyOf(refs);
      OwnerReference podRef =
          StatefulPods.ref("v1", "Pod", pod.getMetadata().getName(), pod.getMetadata().getUid());
      boolean setOwns = deletesWithSet() && !(deletesWhenScaled() && scaledDown);
      boolean podOwns = deletesWhenScaled() && scaledDown;
      refs.removeIf(
          r ->
              Objects.equals(r.getUid(), set.getMetadata().getUid())
                  || ("Pod".equals(r.getKind())
                      && Objects.equals(r.getName(), pod.getMetadata().getName())));
      if (setOwns) {
        refs.add(setRef());
      }
      if (podOwns) {
        refs.add(podRef);
      }
      if (!uids(refs).equals(uids(before))) {
        c.ctx
            .client()
            .persistentVolumeClaims()
            .inNamespace(have.getMetadata().getNamespace())
            .withName(have.getMetadata().getName())
            .edit(
                x -> {
                  x.getMetadata().setOwnerReferences(refs);
                  return x;
                });
      }
    }
  }

  private static java.util.Set<String> uids(List<OwnerReference> refs) {
    return refs.stream().map(OwnerReference::getUid).collect(java.util.stream.Collectors.toSet());
  }

  private StatefulSetStatus status(
      List<Pod> pods, String currentRev, String updateRev, int replicas) {
    StatefulSetStatus st =
        set.getStatus() == null
            ? new StatefulSetStatus()
            : new StatefulSetStatusBuilder(set.getStatus()).build();
    int count = 0, ready = 0, available = 0, current = 0, updated = 0;
    for (Pod p : pods) {
      count++;
      if (runningAndReady(p) && p.getMetadata().getDeletionTimestamp() == null) {
        ready++;
        if (Pods.isAvailable(p, minReady, now)) {
          available++;
        }
      }
      if (p.getMetadata().getDeletionTimestamp() == null) {
        current += currentRev.equals(StatefulPods.revisionOf(p)) ? 1 : 0;
        updated += updateRev.equals(StatefulPods.revisionOf(p)) ? 1 : 0;
      }
    }
    st.setReplicas(count);
    st.setReadyReplicas(ready);
    st.setAvailableReplicas(available);
    st.setCurrentReplicas(current);
    st.setUpdatedReplicas(updated);
    st.setCurrentRevision(currentRev);
    st.setUpdateRevision(updateRev);
    st.setObservedGeneration(set.getMetadata().getGeneration());
    // completeRollingUpdate: once every pod runs the update revision and is ready.
    if (updated == replicas && ready == replicas && count == replicas) {
      st.setCurrentRevision(updateRev);
      st.setCurrentReplicas(updated);
    }
    return st;
  }

  private void writeStatus(StatefulSetStatus st) {
    if (!Objects.equals(st, set.getStatus())) {
      c.ctx
          .client()
          .apps()
          .statefulSets()
          .inNamespace(set.getMetadata().getNamespace())
          .resource(new StatefulSetBuilder(set).withStatus(st).build())
          .updateStatus();
    }
  }

  private void truncateHistory(
      List<ControllerRevision> owned, String currentRev, String updateRev, List<Pod> pods) {
    int limit = Objects.requireNonNullElse(set.getSpec().getRevisionHistoryLimit(), 10);
    java.util.Set<String> live = new java.util.HashSet<>(List.of(currentRev, updateRev));
    pods.forEach(p -> live.add(StatefulPods.revisionOf(p)));
    List<ControllerRevision> old =
        Revisions.sorted(owned).stream()
            .filter(r -> !live.contains(r.getMetadata().getName()))
            .toList();
    for (int i = 0; i < old.size() - limit; i++) {
      c.ctx.client().apps().controllerRevisions().resource(old.get(i)).delete();
    }
  }
}
