package io.flotilla.controllers.cronjob;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.flotilla.controllers.runtime.Controller;
import io.flotilla.controllers.runtime.ControllerContext;
import io.flotilla.controllers.runtime.EventRecorder;
import io.flotilla.controllers.runtime.Keys;
import io.flotilla.controllers.runtime.Pods;
import io.flotilla.controllers.runtime.Reconciler;
import io.flotilla.controllers.runtime.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The CronJob controller (upstream's {@code cronjob-controller} v2): creates a Job named {@code
 * <cronjob>-<scheduled minutes since epoch>} for the most recent schedule time not yet started,
 * honouring {@code timeZone}, {@code concurrencyPolicy}, {@code startingDeadlineSeconds} and {@code
 * suspend}; keeps {@code status.active}, {@code lastScheduleTime} and {@code lastSuccessfulTime};
 * deletes finished Jobs beyond the history limits; requeues itself for the next schedule time
 * through the injected clock. The logic is {@link CronJobSync}.
 *
 * <p>Threading: see {@link Controller}.
 */
public final class CronJobController implements Reconciler {
  public static final String NAME = "cronjob";
  public static final String COMPONENT = "cronjob-controller";

  final ControllerContext ctx;
  final SharedIndexInformer<CronJob> cronJobs;
  final SharedIndexInformer<Job> jobs;
  final EventRecorder events;

  private CronJobController(ControllerContext ctx) {
    this.ctx = ctx;
    this.cronJobs = ctx.informers().forType(CronJob.class);
    this.jobs = ctx.informers().forType(Job.class);
    this.events = ctx.recorder(COMPONENT);
  }

  public static Controller create(ControllerContext ctx) {
    CronJobController r = new CronJobController(ctx);
    return Controller.builder(ctx, NAME, r)
        .watch(r.cronJobs)
        .watch(
            r.jobs,
            j ->
                Pods.controllerOf(j)
                    .filter(o -> "CronJob".equals(o.getKind()))
                    .map(o -> List.of(Keys.of(j.getMetadata().getNamespace(), o.getName())))
                    .orElse(List.of()))
        .build();
  }

  @Override
  public Result reconcile(String key) {
    CronJob cj = cronJobs.getStore().getByKey(key);
    if (cj == null) {
      return Result.done();
    }
    List<Job> owned = new ArrayList<>();
    for (Job j :
        jobs.getIndexer().byIndex(Cache.NAMESPACE_INDEX, cj.getMetadata().getNamespace())) {
      if (Pods.controllerOf(j)
          .map(o -> Objects.equals(o.getUid(), cj.getMetadata().getUid()))
          .orElse(false)) {
        owned.add(j);
      }
    }
    return new CronJobSync(this, cj, owned).run();
  }

  static ObjectReference ref(Job j) {
    ObjectReference r = new ObjectReference();
    r.setApiVersion("batch/v1");
    r.setKind("Job");
    r.setName(j.getMetadata().getName());
    r.setNamespace(j.getMetadata().getNamespace());
    r.setUid(j.getMetadata().getUid());
    r.setResourceVersion(j.getMetadata().getResourceVersion());
    return r;
  }
}
