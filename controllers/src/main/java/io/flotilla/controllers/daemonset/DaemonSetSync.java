package io.flotilla.controllers.daemonset;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.flotilla.controllers.history.Revisions;
import io.flotilla.controllers.runtime.Keys;
import io.flotilla.controllers.runtime.Pods;
import io.flotilla.controllers.runtime.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** One reconcile of one DaemonSet (upstream's {@code syncDaemonSet}). Not shared. */
final class DaemonSetSync {
  private final DaemonSetController c;
  private final String key;
  private final DaemonSet ds;
  private final Instant now;
  private final int minReady;
  private final List<String> toCreate = new ArrayList<>();
  private final List<Pod> toDelete = new ArrayList<>();

  DaemonSetSync(DaemonSetController c, String key, DaemonSet ds) {
    this.c = c;
    this.key = key;
    this.ds = ds;
    this.now = c.ctx.clock().now();
    this.minReady = Objects.requireNonNullElse(ds.getSpec().getMinReadySeconds(), 0);
  }

  Result run(List<Node> nodes) {
    List<ControllerRevision> owned = new ArrayList<>();
    for (ControllerRevision r :
        c.revisions.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ds.getMetadata().getNamespace())) {
      if (Pods.controllerOf(r)
          .map(o -> Objects.equals(o.getUid(), ds.getMetadata().getUid()))
          .orElse(false)) {
        owned.add(r);
      }
    }
    ControllerRevision cur =
        Revisions.ensure(
            c.ctx.client(),
            ds,
            "apps/v1",
            "DaemonSet",
            ds.getSpec().getTemplate().getMetadata() == null
                ? null
                : ds.getSpec().getTemplate().getMetadata().getLabels(),
            Revisions.data(ds.getSpec().getTemplate()),
            ds.getStatus() == null ? null : ds.getStatus().getCollisionCount(),
            owned);
    String hash = cur.getMetadata().getLabels().get(Revisions.HASH_LABEL);
    Map<String, List<Pod>> byNode = new HashMap<>();
    List<Pod> all = new ArrayList<>();
    for (Pod p :
        c.pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ds.getMetadata().getNamespace())) {
      if (Pods.controllerOf(p)
          .map(o -> Objects.equals(o.getUid(), ds.getMetadata().getUid()))
          .orElse(false)) {
        all.add(p);
        if (p.getMetadata().getDeletionTimestamp() == null) {
          byNode.computeIfAbsent(DaemonPods.nodeOf(p).orElse(""), n -> new ArrayList<>()).add(p);
        }
      }
    }
    byNode
        .values()
        .forEach(l -> l.sort(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp())));
    Map<String, NodeEligibility.Decision> decisions = new HashMap<>();
    nodes.forEach(
        n ->
            decisions.put(
                n.getMetadata().getName(),
                NodeEligibility.decide(ds.getSpec().getTemplate().getSpec(), n)));
    boolean surge = rolling() && scaled(surgeParam(), desired(decisions), true) > 0;
    if (c.expectations.satisfied(key)) {
      manage(decisions, byNode, hash, surge);
      if (toCreate.isEmpty() && toDelete.isEmpty() && rolling()) {
        rollingUpdate(decisions, byNode, hash);
      }
      apply(hash);
      truncateHistory(owned, cur, all);
    }
    return status(decisions, byNode, hash);
  }

  private boolean rolling() {
    return ds.getSpec().getUpdateStrategy() == null
        || !"OnDelete".equals(ds.getSpec().getUpdateStrategy().getType());
  }

  private IntOrString surgeParam() {
    var ru =
        ds.getSpec().getUpdateStrategy() == null
            ? null
            : ds.getSpec().getUpdateStrategy().getRollingUpdate();
    return ru == null || ru.getMaxSurge() == null ? new IntOrString(0) : ru.getMaxSurge();
  }

  private IntOrString unavailableParam() {
    var ru =
        ds.getSpec().getUpdateStrategy() == null
            ? null
            : ds.getSpec().getUpdateStrategy().getRollingUpdate();
    return ru == null || ru.getMaxUnavailable() == null
        ? new IntOrString(1)
        : ru.getMaxUnavailable();
  }

  static int scaled(IntOrString v, int total, boolean roundUp) {
    if (v.getIntVal() != null) {
      return v.getIntVal();
    }
    String s = v.getStrVal();
    if (!s.endsWith("%")) {
      throw new IllegalArgumentException(
          "invalid value for IntOrString: " + s + " (want an integer or a percentage such as 25%)");
    }
    double pct = Integer.parseInt(s.substring(0, s.length() - 1)) * total / 100.0;
    return (int) (roundUp ? Math.ceil(pct) : Math.floor(pct));
  }

  private static int desired(Map<String, NodeEligibility.Decision> d) {
    return (int) d.values().stream().filter(NodeEligibility.Decision::shouldRun).count();
  }

  /** Upstream's {@code podsShouldBeOnNode} for every node, and pods on nodes that are gone. */
  private void manage(
      Map<String, NodeEligibility.Decision> decisions,
      Map<String, List<Pod>> byNode,
      String hash,
      boolean surge) {
    for (var e : decisions.entrySet()) {
      String node = e.getKey();
      List<Pod> here = byNode.getOrDefault(node, List.of());
      if (e.getValue().shouldRun()) {
        List<Pod> running = new ArrayList<>();
        for (Pod p : here) {
          if (p.getStatus() != null && "Failed".equals(p.getStatus().getPhase())) {
            c.events.warning(
                ds,
                "FailedDaemonPod",
                "Found failed daemon pod %s/%s on node %s, will try to kill it",
                p.getMetadata().getNamespace(),
                p.getMetadata().getName(),
                node);
            toDelete.add(p);
          } else {
            running.add(p);
          }
        }
        if (running.isEmpty()) {
          toCreate.add(node);
        } else if (running.size() > 1) {
          // Keep the oldest pod; while surging keep the oldest old and the oldest new one.
          Set<String> kept = new HashSet<>();
          for (Pod p : running) {
            String group = surge ? (hash.equals(DaemonPods.hashOf(p)) ? "new" : "old") : "any";
            if (!kept.add(group)) {
              toDelete.add(p);
            }
          }
        }
      } else if (!e.getValue().shouldContinueRunning()) {
        toDelete.addAll(here);
      }
    }
    for (var e : byNode.entrySet()) {
      if (!decisions.containsKey(e.getKey())) {
        toDelete.addAll(e.getValue());
      }
    }
  }

  /** Upstream's {@code rollingUpdate}: replace old pods within maxUnavailable, or surge first. */
  private void rollingUpdate(
      Map<String, NodeEligibility.Decision> decisions, Map<String, List<Pod>> byNode, String hash) {
    int desired = desired(decisions);
    int maxSurge = scaled(surgeParam(), desired, true);
    int maxUnavailable = scaled(unavailableParam(), desired, true);
    if (maxSurge == 0 && maxUnavailable == 0) {
      maxUnavailable = 1;
    }
    int unavailable = 0;
    int surging = 0;
    List<Pod> replaceNow = new ArrayList<>();
    List<Pod> candidates = new ArrayList<>();
    List<String> newNodesNow = new ArrayList<>();
    List<String> newNodeCandidates = new ArrayList<>();
    for (var e : decisions.entrySet()) {
      if (!e.getValue().shouldRun()) {
        continue;
      }
      Pod newPod = null;
      Pod oldPod = null;
      for (Pod p : byNode.getOrDefault(e.getKey(), List.of())) {
        if (hash.equals(DaemonPods.hashOf(p))) {
          newPod = newPod == null ? p : newPod;
        } else {
          oldPod = oldPod == null ? p : oldPod;
        }
      }
      boolean oldAvailable = oldPod != null && Pods.isAvailable(oldPod, minReady, now);
      boolean newAvailable = newPod != null && Pods.isAvailable(newPod, minReady, now);
      if (maxSurge == 0) {
        if (oldPod == null && newPod == null || oldPod != null && newPod != null) {
          unavailable++;
        } else if (newPod != null) {
          unavailable += newAvailable ? 0 : 1;
        } else if (!oldAvailable) {
          replaceNow.add(oldPod);
        } else {
          candidates.add(oldPod);
        }
      } else if (oldPod != null) {
        if (newPod == null) {
          (oldAvailable ? newNodeCandidates : newNodesNow).add(e.getKey());
        } else if (newAvailable) {
          replaceNow.add(oldPod);
        } else {
          surging++;
        }
      }
    }
    toDelete.addAll(replaceNow);
    if (maxSurge == 0) {
      int room = Math.max(0, maxUnavailable - unavailable);
      toDelete.addAll(candidates.subList(0, Math.min(room, candidates.size())));
    } else {
      toCreate.addAll(newNodesNow);
      int room = Math.max(0, maxSurge - surging);
      toCreate.addAll(newNodeCandidates.subList(0, Math.min(room, newNodeCandidates.size())));
    }
  }

  private void apply(String hash) {
    if (!toDelete.isEmpty()) {
      c.expectations.expectDeletions(
          key, toDelete.stream().map(Keys::of).collect(Collectors.toSet()));
      for (Pod p : toDelete) {
        try {
          c.ctx
              .client()
              .pods()
              .inNamespace(p.getMetadata().getNamespace())
              .withName(p.getMetadata().getName())
              .delete();
          c.events.normal(ds, "SuccessfulDelete", "Deleted pod: %s", p.getMetadata().getName());
        } catch (KubernetesClientException e) {
          c.expectations.deletionObserved(key, Keys.of(p));
          c.events.warning(ds, "FailedDelete", "Error deleting: %s", e.getMessage());
          throw e;
        }
      }
      return;
    }
    c.expectations.expectCreations(key, toCreate.size());
    for (int i = 0; i < toCreate.size(); i++) {
      try {
        Pod created =
            c.ctx
                .client()
                .pods()
                .inNamespace(ds.getMetadata().getNamespace())
                .resource(DaemonPods.newPod(ds, toCreate.get(i), hash))
                .create();
        c.events.normal(ds, "SuccessfulCreate", "Created pod: %s", created.getMetadata().getName());
      } catch (KubernetesClientException e) {
        for (int j = i; j < toCreate.size(); j++) {
          c.expectations.creationObserved(key);
        }
        c.events.warning(ds, "FailedCreate", "Error creating: %s", e.getMessage());
        throw e;
      }
    }
  }

  /** Deletes the oldest revisions beyond revisionHistoryLimit that no pod uses. */
  private void truncateHistory(
      List<ControllerRevision> owned, ControllerRevision cur, List<Pod> pods) {
    int limit = Objects.requireNonNullElse(ds.getSpec().getRevisionHistoryLimit(), 10);
    Set<String> used =
        pods.stream().map(DaemonPods::hashOf).filter(Objects::nonNull).collect(Collectors.toSet());
    List<ControllerRevision> old =
        Revisions.sorted(owned).stream()
            .filter(r -> !r.getMetadata().getName().equals(cur.getMetadata().getName()))
            .filter(
                r ->
                    !used.contains(
                        r.getMetadata().getLabels() == null
                            ? null
                            : r.getMetadata().getLabels().get(Revisions.HASH_LABEL)))
            .toList();
    for (int i = 0; i < old.size() - limit; i++) {
      c.ctx.client().apps().controllerRevisions().resource(old.get(i)).delete();
    }
  }

  private Result status(
      Map<String, NodeEligibility.Decision> decisions, Map<String, List<Pod>> byNode, String hash) {
    int desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0;
    Duration recheck = null;
    for (var e : decisions.entrySet()) {
      List<Pod> here = byNode.getOrDefault(e.getKey(), List.of());
      if (e.getValue().shouldRun()) {
        desired++;
        if (!here.isEmpty()) {
          current++;
          Pod p = here.getFirst();
          if (Pods.isReady(p)) {
            ready++;
            if (Pods.isAvailable(p, minReady, now)) {
              available++;
            } else {
              Duration d = Pods.untilAvailable(p, minReady, now).orElse(null);
              recheck = d != null && (recheck == null || d.compareTo(recheck) < 0) ? d : recheck;
            }
          }
          if (here.stream().anyMatch(p2 -> hash.equals(DaemonPods.hashOf(p2)))) {
            updated++;
          }
        }
      } else if (!here.isEmpty()) {
        misscheduled++;
      }
    }
    DaemonSetStatus st =
        ds.getStatus() == null
            ? new DaemonSetStatus()
            : new DaemonSetStatusBuilder(ds.getStatus()).build();
    DaemonSetStatus before = new DaemonSetStatusBuilder(st).build();
    st.setDesiredNumberScheduled(desired);
    st.setCurrentNumberScheduled(current);
    st.setNumberMisscheduled(misscheduled);
    st.setNumberReady(ready);
    st.setNumberAvailable(available);
    st.setNumberUnavailable(desired - available);
    st.setUpdatedNumberScheduled(updated);
    st.setObservedGeneration(ds.getMetadata().getGeneration());
    if (!Objects.equals(st, before)) {
      c.ctx
          .client()
          .apps()
          .daemonSets()
          .inNamespace(ds.getMetadata().getNamespace())
          .resource(new DaemonSetBuilder(ds).withStatus(st).build())
          .updateStatus();
    }
    return recheck == null ? Result.done() : Result.requeueAfter(recheck);
  }
}
