package io.flotilla.controllers.disruption;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatusBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.flotilla.controllers.runtime.Controller;
import io.flotilla.controllers.runtime.ControllerContext;
import io.flotilla.controllers.runtime.EventRecorder;
import io.flotilla.controllers.runtime.Keys;
import io.flotilla.controllers.runtime.Pods;
import io.flotilla.controllers.runtime.Reconciler;
import io.flotilla.controllers.runtime.Result;
import io.flotilla.controllers.runtime.Selectors;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The disruption controller (upstream's {@code disruption-controller}): for each
 * PodDisruptionBudget, the pods its selector matches; {@code expectedPods} (the pods, or for
 * percentages and maxUnavailable the scale of their controllers), {@code desiredHealthy}, {@code
 * currentHealthy} (Ready, not being deleted, not recently evicted), {@code disruptionsAllowed}, the
 * {@code DisruptionAllowed} condition and {@code observedGeneration}. Entries of {@code
 * disruptedPods} (written by the eviction API) keep a pod out of the healthy count until it is
 * deleted or {@link #DELETION_TIMEOUT} has passed. When the scale cannot be found the budget fails
 * safe: nothing allowed, reason SyncFailed.
 *
 * <p>Threading: see {@link Controller}; pod changes queue the budgets of the pod's namespace that
 * select it.
 */
public final class DisruptionController implements Reconciler {
  public static final String NAME = "disruption";
  public static final Duration DELETION_TIMEOUT = Duration.ofMinutes(2);

  final ControllerContext ctx;
  final SharedIndexInformer<PodDisruptionBudget> budgets;
  final SharedIndexInformer<Pod> pods;
  final SharedIndexInformer<ReplicaSet> replicaSets;
  final SharedIndexInformer<Deployment> deployments;
  final SharedIndexInformer<StatefulSet> statefulSets;
  final EventRecorder events;

  private DisruptionController(ControllerContext ctx) {
    this.ctx = ctx;
    this.budgets = ctx.informers().forType(PodDisruptionBudget.class);
    this.pods = ctx.informers().forType(Pod.class);
    this.replicaSets = ctx.informers().forType(ReplicaSet.class);
    this.deployments = ctx.informers().forType(Deployment.class);
    this.statefulSets = ctx.informers().forType(StatefulSet.class);
    this.events = ctx.recorder("controllermanager");
  }

  public static Controller create(ControllerContext ctx) {
    DisruptionController r = new DisruptionController(ctx);
    return Controller.builder(ctx, NAME, r)
        .watch(r.budgets)
        .watch(
            r.pods,
            p ->
                r
                    .budgets
                    .getIndexer()
                    .byIndex(Cache.NAMESPACE_INDEX, p.getMetadata().getNamespace())
                    .stream()
                    .filter(
                        b ->
                            Selectors.matches(
                                b.getSpec().getSelector(), p.getMetadata().getLabels()))
                    .map(Keys::of)
                    .toList())
        .watch(r.replicaSets, o -> r.budgetsIn(o.getMetadata().getNamespace()))
        .watch(r.deployments, o -> r.budgetsIn(o.getMetadata().getNamespace()))
        .watch(r.statefulSets, o -> r.budgetsIn(o.getMetadata().getNamespace()))
        .build();
  }

  private List<String> budgetsIn(String ns) {
    return budgets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns).stream().map(Keys::of).toList();
  }

  @Override
  public Result reconcile(String key) {
    PodDisruptionBudget pdb = budgets.getStore().getByKey(key);
    if (pdb == null) {
      return Result.done();
    }
    Instant now = ctx.clock().now();
    List<Pod> selected = new ArrayList<>();
    if (pdb.getSpec().getSelector() != null) {
      for (Pod p :
          pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, pdb.getMetadata().getNamespace())) {
        if (Selectors.matches(pdb.getSpec().getSelector(), p.getMetadata().getLabels())) {
          selected.add(p);
        }
      }
    }
    PodDisruptionBudgetStatus st =
        pdb.getStatus() == null
            ? new PodDisruptionBudgetStatus()
            : new PodDisruptionBudgetStatusBuilder(pdb.getStatus()).build();
    // Recently evicted pods stay out of the healthy count until deleted or timed out.
    Map<String, String> disrupted = new HashMap<>();
    Instant recheck = null;
    Map<String, Pod> byName = new HashMap<>();
    selected.forEach(p -> byName.put(p.getMetadata().getName(), p));
    for (var e :
        (st.getDisruptedPods() == null ? Map.<String, String>of() : st.getDisruptedPods())
            .entrySet()) {
      Pod p = byName.get(e.getKey());
      if (p == null || p.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      Instant expires = Instant.parse(e.getValue()).plus(DELETION_TIMEOUT);
      if (expires.isAfter(now)) {
        disrupted.put(e.getKey(), e.getValue());
        recheck = recheck == null || expires.isBefore(recheck) ? expires : recheck;
      }
    }
    int healthy =
        (int)
            selected.stream()
                .filter(
                    p ->
                        p.getMetadata().getDeletionTimestamp() == null
                            && Pods.isReady(p)
                            && !disrupted.containsKey(p.getMetadata().getName()))
                .count();
    Optional<int[]> counts;
    String failure = null;
    try {
      counts = Optional.of(expectedAndDesired(pdb, selected));
    } catch (IllegalStateException e) {
      counts = Optional.empty();
      failure = e.getMessage();
    }
    int expected = counts.map(c -> c[0]).orElse(0);
    int desired = counts.map(c -> c[1]).orElse(0);
    int allowed = counts.isPresent() ? Math.max(0, healthy - desired) : 0;
    st.setCurrentHealthy(healthy);
    st.setDesiredHealthy(desired);
    st.setExpectedPods(expected);
    st.setDisruptionsAllowed(allowed);
    st.setDisruptedPods(disrupted);
    st.setObservedGeneration(pdb.getMetadata().getGeneration());
    String reason =
        failure != null ? "SyncFailed" : allowed > 0 ? "SufficientPods" : "InsufficientPods";
    setCondition(
        st,
        allowed > 0 ? "True" : "False",
        reason,
        failure == null ? "" : failure,
        now,
        pdb.getMetadata().getGeneration());
    if (failure != null) {
      events.warning(
          pdb,
          "CalculateExpectedPodCountFailed",
          "Failed to calculate the number of expected pods: %s",
          failure);
    }
    if (!Objects.equals(st, pdb.getStatus())) {
      ctx.client()
          .policy()
          .v1()
          .podDisruptionBudget()
          .inNamespace(pdb.getMetadata().getNamespace())
          .resource(new PodDisruptionBudgetBuilder(pdb).withStatus(st).build())
          .updateStatus();
    }
    return recheck == null ? Result.done() : Result.requeueAfter(Duration.between(now, recheck));
  }

  private static void setCondition(
      PodDisruptionBudgetStatus st,
      String status,
      String reason,
      String message,
      Instant now,
      Long generation) {
    List<Condition> conds =
        new ArrayList<>(st.getConditions() == null ? List.of() : st.getConditions());
    Condition old =
        conds.stream()
            .filter(c -> "DisruptionAllowed".equals(c.getType()))
            .findFirst()
            .orElse(null);
    if (old != null
        && status.equals(old.getStatus())
        && reason.equals(old.getReason())
        && message.equals(Objects.requireNonNullElse(old.getMessage(), ""))) {
      return;
    }
    String transition =
        old != null && status.equals(old.getStatus())
            ? old.getLastTransitionTime()
            : Pods.timestamp(now);
    conds.remove(old);
    conds.add(
        new ConditionBuilder()
            .withType("DisruptionAllowed")
            .withStatus(status)
            .withReason(reason)
            .withMessage(message)
            .withLastTransitionTime(transition)
            .withObservedGeneration(generation)
            .build());
    st.setConditions(conds);
  }

  /** {expectedPods, desiredHealthy} as upstream's getExpectedPodCount. */
  private int[] expectedAndDesired(PodDisruptionBudget pdb, List<Pod> selected) {
    IntOrString maxUnavailable = pdb.getSpec().getMaxUnavailable();
    IntOrString minAvailable = pdb.getSpec().getMinAvailable();
    if (maxUnavailable != null) {
      int expected = expectedScale(selected);
      int unavailable = scaled(maxUnavailable, expected);
      return new int[] {expected, Math.max(0, expected - unavailable)};
    }
    if (minAvailable != null && minAvailable.getIntVal() != null) {
      return new int[] {selected.size(), minAvailable.getIntVal()};
    }
    if (minAvailable != null) {
      int expected = expectedScale(selected);
      return new int[] {expected, scaled(minAvailable, expected)};
    }
    return new int[] {selected.size(), 0};
  }

  static int scaled(IntOrString v, int total) {
    if (v.getIntVal() != null) {
      return v.getIntVal();
    }
    String s = v.getStrVal();
    if (!s.endsWith("%")) {
      throw new IllegalStateException(
          "invalid value " + s + ": want an integer or a percentage such as 50%");
    }
    return (int) Math.ceil(Integer.parseInt(s.substring(0, s.length() - 1)) * total / 100.0);
  }

  /** The summed scale of the pods' controllers (each counted once). */
  private int expectedScale(List<Pod> selected) {
    Map<String, Integer> scales = new HashMap<>();
    for (Pod p : selected) {
      OwnerReference ref =
          Pods.controllerOf(p)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "found no controllers for pod \"" + p.getMetadata().getName() + "\""));
      String ns = p.getMetadata().getNamespace();
      switch (ref.getKind()) {
        case "ReplicaSet" -> {
          ReplicaSet rs = replicaSets.getStore().getByKey(Keys.of(ns, ref.getName()));
          if (rs == null) {
            throw new IllegalStateException("replicaset " + ref.getName() + " not found");
          }
          Optional<OwnerReference> dep =
              Pods.controllerOf(rs).filter(o -> "Deployment".equals(o.getKind()));
          if (dep.isPresent()) {
            Deployment d = deployments.getStore().getByKey(Keys.of(ns, dep.get().getName()));
            if (d == null) {
              throw new IllegalStateException("deployment " + dep.get().getName() + " not found");
            }
            scales.put(
                d.getMetadata().getUid(), Objects.requireNonNullElse(d.getSpec().getReplicas(), 1));
          } else {
            scales.put(
                rs.getMetadata().getUid(),
                Objects.requireNonNullElse(rs.getSpec().getReplicas(), 1));
          }
        }
        case "StatefulSet" -> {
          StatefulSet s = statefulSets.getStore().getByKey(Keys.of(ns, ref.getName()));
          if (s == null) {
            throw new IllegalStateException("statefulset " + ref.getName() + " not found");
          }
          scales.put(
              s.getMetadata().getUid(), Objects.requireNonNullElse(s.getSpec().getReplicas(), 1));
        }
        default -> {
          var rc =
              ctx.client().replicationControllers().inNamespace(ns).withName(ref.getName()).get();
          if (!"ReplicationController".equals(ref.getKind()) || rc == null) {
            throw new IllegalStateException(
                "cannot find the scale of " + ref.getKind() + " " + ref.getName());
          }
          scales.put(
              rc.getMetadata().getUid(), Objects.requireNonNullElse(rc.getSpec().getReplicas(), 1));
        }
      }
    }
    return scales.values().stream().mapToInt(Integer::intValue).sum();
  }
}
