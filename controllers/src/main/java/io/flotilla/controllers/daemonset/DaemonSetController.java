package io.flotilla.controllers.daemonset;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.flotilla.controllers.runtime.Controller;
import io.flotilla.controllers.runtime.ControllerContext;
import io.flotilla.controllers.runtime.EventRecorder;
import io.flotilla.controllers.runtime.Expectations;
import io.flotilla.controllers.runtime.Keys;
import io.flotilla.controllers.runtime.Pods;
import io.flotilla.controllers.runtime.Reconciler;
import io.flotilla.controllers.runtime.Result;
import java.util.List;
import java.util.Optional;

/**
 * The DaemonSet controller (upstream's {@code daemonset-controller}): one pod per eligible node,
 * pinned by node affinity; follows nodes as they come, go and change; rolls out template changes
 * with RollingUpdate (maxUnavailable, maxSurge) or OnDelete; records ControllerRevisions; writes
 * the status counters. The logic is {@link DaemonSetSync}.
 *
 * <p>Threading: see {@link Controller}. Node and pod handlers run on informer threads and only
 * update {@link Expectations} and queue keys (a node change queues every DaemonSet).
 */
public final class DaemonSetController implements Reconciler {
  public static final String NAME = "daemonset";
  public static final String COMPONENT = "daemonset-controller";

  final ControllerContext ctx;
  final SharedIndexInformer<DaemonSet> sets;
  final SharedIndexInformer<Pod> pods;
  final SharedIndexInformer<Node> nodes;
  final SharedIndexInformer<ControllerRevision> revisions;
  final EventRecorder events;
  final Expectations expectations;

  private DaemonSetController(ControllerContext ctx) {
    this.ctx = ctx;
    this.sets = ctx.informers().forType(DaemonSet.class);
    this.pods = ctx.informers().forType(Pod.class);
    this.nodes = ctx.informers().forType(Node.class);
    this.revisions = ctx.informers().forType(ControllerRevision.class);
    this.events = ctx.recorder(COMPONENT);
    this.expectations = new Expectations(ctx.clock());
  }

  public static Controller create(ControllerContext ctx) {
    DaemonSetController r = new DaemonSetController(ctx);
    Controller c =
        Controller.builder(ctx, NAME, r)
            .watch(r.sets)
            .watch(r.nodes, n -> r.sets.getStore().list().stream().map(Keys::of).toList())
            .reads(r.pods)
            .reads(r.revisions)
            .workers(2)
            .build();
    r.pods.addEventHandler(r.podHandler(c));
    return c;
  }

  static Optional<String> ownerKey(Pod p) {
    return Pods.controllerOf(p)
        .filter(o -> "DaemonSet".equals(o.getKind()))
        .map(o -> Keys.of(p.getMetadata().getNamespace(), o.getName()));
  }

  private ResourceEventHandler<Pod> podHandler(Controller c) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod p) {
        ownerKey(p)
            .ifPresent(
                k -> {
                  expectations.creationObserved(k);
                  c.enqueue(k);
                });
      }

      @Override
      public void onUpdate(Pod old, Pod p) {
        ownerKey(p)
            .ifPresent(
                k -> {
                  if (old.getMetadata().getDeletionTimestamp() == null
                      && p.getMetadata().getDeletionTimestamp() != null) {
                    expectations.deletionObserved(k, Keys.of(p));
                  }
                  c.enqueue(k);
                });
      }

      @Override
      public void onDelete(Pod p, boolean unknown) {
        ownerKey(p)
            .ifPresent(
                k -> {
                  expectations.deletionObserved(k, Keys.of(p));
                  c.enqueue(k);
                });
      }
    };
  }

  @Override
  public Result reconcile(String key) {
    DaemonSet ds = sets.getStore().getByKey(key);
    if (ds == null) {
      expectations.delete(key);
      return Result.done();
    }
    if (ds.getMetadata().getDeletionTimestamp() != null) {
      return Result.done();
    }
    return new DaemonSetSync(this, key, ds).run(List.copyOf(nodes.getStore().list()));
  }
}
