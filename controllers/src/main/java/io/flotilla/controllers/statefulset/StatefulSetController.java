package io.flotilla.controllers.statefulset;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.flotilla.controllers.runtime.Controller;
import io.flotilla.controllers.runtime.ControllerContext;
import io.flotilla.controllers.runtime.EventRecorder;
import io.flotilla.controllers.runtime.Keys;
import io.flotilla.controllers.runtime.Pods;
import io.flotilla.controllers.runtime.Reconciler;
import io.flotilla.controllers.runtime.Result;
import java.util.List;

/**
 * The StatefulSet controller (upstream's {@code statefulset-controller}): pods with stable names
 * {@code <set>-<ordinal>} created in order (OrderedReady: one at a time, each Running and Ready
 * before the next; Parallel: all at once) and removed highest ordinal first; claims from
 * volumeClaimTemplates with the retention policy's owner references; RollingUpdate from the highest
 * ordinal down to the partition, or OnDelete; ControllerRevisions; status. Pod names are
 * deterministic, so a lagging cache at worst meets a 409 and retries. The logic is {@link
 * StatefulSetSync}.
 *
 * <p>Threading: see {@link Controller}.
 */
public final class StatefulSetController implements Reconciler {
  public static final String NAME = "statefulset";
  public static final String COMPONENT = "statefulset-controller";

  final ControllerContext ctx;
  final SharedIndexInformer<StatefulSet> sets;
  final SharedIndexInformer<Pod> pods;
  final SharedIndexInformer<ControllerRevision> revisions;
  final SharedIndexInformer<PersistentVolumeClaim> claims;
  final EventRecorder events;

  private StatefulSetController(ControllerContext ctx) {
    this.ctx = ctx;
    this.sets = ctx.informers().forType(StatefulSet.class);
    this.pods = ctx.informers().forType(Pod.class);
    this.revisions = ctx.informers().forType(ControllerRevision.class);
    this.claims = ctx.informers().forType(PersistentVolumeClaim.class);
    this.events = ctx.recorder(COMPONENT);
  }

  public static Controller create(ControllerContext ctx) {
    StatefulSetController r = new StatefulSetController(ctx);
    return Controller.builder(ctx, NAME, r)
        .watch(r.sets)
        .watch(
            r.pods,
            p ->
                Pods.controllerOf(p)
                    .filter(o -> "StatefulSet".equals(o.getKind()))
                    .map(o -> List.of(Keys.of(p.getMetadata().getNamespace(), o.getName())))
                    .orElse(List.of()))
        .reads(r.revisions)
        .reads(r.claims)
        .workers(2)
        .build();
  }

  @Override
  public Result reconcile(String key) {
    StatefulSet set = sets.getStore().getByKey(key);
    if (set == null || set.getMetadata().getDeletionTimestamp() != null) {
      return Result.done();
    }
    return new StatefulSetSync(this, set).run();
  }
}
