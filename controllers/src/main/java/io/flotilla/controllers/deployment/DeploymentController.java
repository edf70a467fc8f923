package io.flotilla.controllers.deployment;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.flotilla.controllers.runtime.Controller;
import io.flotilla.controllers.runtime.ControllerContext;
import io.flotilla.controllers.runtime.EventRecorder;
import io.flotilla.controllers.runtime.Keys;
import io.flotilla.controllers.runtime.Ownership;
import io.flotilla.controllers.runtime.Pods;
import io.flotilla.controllers.runtime.Reconciler;
import io.flotilla.controllers.runtime.Result;
import io.flotilla.controllers.runtime.Selectors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Deployment controller (upstream's {@code deployment-controller}): claims the ReplicaSets a
 * Deployment's selector matches, then runs one {@link Rollout} — paused and resize handling, the
 * RollingUpdate or Recreate strategy, history cleanup, status. Handlers queue the Deployment for
 * its own events, for events of ReplicaSets it owns or might adopt, and for deleted pods (which
 * Recreate waits for). Threading: see {@link Controller}; one reconcile per Deployment at a time.
 */
public final class DeploymentController implements Reconciler {
  public static final String NAME = "deployment";
  public static final int WORKERS = 5;

  private final ControllerContext ctx;
  private final SharedIndexInformer<Deployment> deployments;
  private final SharedIndexInformer<ReplicaSet> replicaSets;
  private final SharedIndexInformer<Pod> pods;
  private final EventRecorder events;

  private DeploymentController(ControllerContext ctx) {
    this.ctx = ctx;
    this.deployments = ctx.informers().forType(Deployment.class);
    this.replicaSets = ctx.informers().forType(ReplicaSet.class);
    this.pods = ctx.informers().forType(Pod.class);
    this.events = ctx.recorder("deployment-controller");
  }

  public static Controller create(ControllerContext ctx) {
    DeploymentController r = new DeploymentController(ctx);
    Controller c =
        Controller.builder(ctx, NAME, r)
            .watch(r.deployments)
            .watch(r.replicaSets, r::keysFor)
            .reads(r.pods)
            .workers(WORKERS)
            .build();
    r.pods.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod p) {}

          @Override
          public void onUpdate(Pod o, Pod p) {}

          @Override
          public void onDelete(Pod p, boolean unknown) {
            r.deploymentOfPod(p).ifPresent(c::enqueue);
          }
        });
    return c;
  }

  /** A ReplicaSet's controlling Deployment, or for an orphan every Deployment that selects it. */
  private List<String> keysFor(ReplicaSet rs) {
    Optional<OwnerReference> ref = Pods.controllerOf(rs);
    if (ref.isPresent()) {
      return "Deployment".equals(ref.get().getKind())
          ? List.of(Keys.of(rs.getMetadata().getNamespace(), ref.get().getName()))
          : List.of();
    }
    List<String> keys = new ArrayList<>();
    for (Deployment d :
        deployments.getIndexer().byIndex(Cache.NAMESPACE_INDEX, rs.getMetadata().getNamespace())) {
      if (!Selectors.isEmpty(d.getSpec().getSelector())
          && Selectors.matches(d.getSpec().getSelector(), rs.getMetadata().getLabels())) {
        keys.add(Keys.of(d));
      }
    }
    return keys;
  }

  private Optional<String> deploymentOfPod(Pod p) {
    return Pods.controllerOf(p)
        .filter(r -> "ReplicaSet".equals(r.getKind()))
        .map(
            r ->
                replicaSets
                    .getStore()
                    .getByKey(Keys.of(p.getMetadata().getNamespace(), r.getName())))
        .flatMap(Pods::controllerOf)
        .filter(r -> "Deployment".equals(r.getKind()))
        .map(r -> Keys.of(p.getMetadata().getNamespace(), r.getName()));
  }

  @Override
  public Result reconcile(String key) {
    Deployment cached = deployments.getStore().getByKey(key);
    if (cached == null) {
      return Result.done();
    }
    Deployment d = new DeploymentBuilder(cached).build();
    if (Selectors.isEmpty(d.getSpec().getSelector())) {
      events.warning(
          d,
          "SelectingAll",
          "This deployment is selecting all pods. A non-empty selector is required.");
      return Result.done();
    }
    List<ReplicaSet> rss = claim(d);
    Map<String, List<Pod>> podsByRs = new HashMap<>();
    if (!Rolling.isRollingUpdate(d)) {
      for (Pod p :
          pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, d.getMetadata().getNamespace())) {
        Pods.controllerOf(p)
            .ifPresent(r -> podsByRs.computeIfAbsent(r.getUid(), u -> new ArrayList<>()).add(p));
      }
    }
    Rollout r = new Rollout(ctx.client(), events, ctx.clock().now(), d, rss, podsByRs);
    if (d.getMetadata().getDeletionTimestamp() != null) {
      r.findNew(false);
      r.syncStatus();
      return Result.done();
    }
    r.checkPausedConditions();
    if (Boolean.TRUE.equals(d.getSpec().getPaused()) || r.isScalingEvent()) {
      r.sync();
      return Result.done();
    }
    if (Rolling.isRollingUpdate(d)) {
      r.rolling();
    } else {
      r.recreate();
    }
    return r.requeueAfter == null ? Result.done() : Result.requeueAfter(r.requeueAfter);
  }

  /** Upstream's ReplicaSetControllerRefManager.ClaimReplicaSets. */
  private List<ReplicaSet> claim(Deployment d) {
    String uid = d.getMetadata().getUid();
    boolean deleting = d.getMetadata().getDeletionTimestamp() != null;
    List<ReplicaSet> claimed = new ArrayList<>();
    Boolean canAdopt = null;
    for (ReplicaSet rs :
        replicaSets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, d.getMetadata().getNamespace())) {
      boolean matches = Selectors.matches(d.getSpec().getSelector(), rs.getMetadata().getLabels());
      Optional<OwnerReference> ref = Pods.controllerOf(rs);
      if (ref.isPresent()) {
        if (!uid.equals(ref.get().getUid())) {
          continue;
        }
        if (matches) {
          claimed.add(rs);
        } else if (!deleting) {
          List<OwnerReference> rest =
              rs.getMetadata().getOwnerReferences().stream()
                  .filter(o -> !uid.equals(o.getUid()))
                  .toList();
          patchOwners(rs, rest);
        }
        continue;
      }
      if (deleting || !matches || rs.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      if (canAdopt == null) {
        Deployment fresh =
            ctx.client()
                .apps()
                .deployments()
                .inNamespace(d.getMetadata().getNamespace())
                .withName(d.getMetadata().getName())
                .get();
        canAdopt =
            fresh != null
                && Objects.equals(fresh.getMetadata().getUid(), uid)
                && fresh.getMetadata().getDeletionTimestamp() == null;
      }
      if (canAdopt) {
        List<OwnerReference> refs =
            new ArrayList<>(
                Objects.requireNonNullElse(rs.getMetadata().getOwnerReferences(), List.of()));
        refs.add(Ownership.controllerRef(d, "apps/v1", "Deployment"));
        ReplicaSet adopted = patchOwners(rs, refs);
        if (adopted != null) {
          claimed.add(adopted);
        }
      }
    }
    return claimed;
  }

  private ReplicaSet patchOwners(ReplicaSet rs, List<OwnerReference> refs) {
    try {
      return Ownership.setOwnerReferences(ctx.client(), ReplicaSet.class, rs, refs);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw e;
    }
  }
}
