package io.flotilla.controllers.ttlafterfinished;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.flotilla.controllers.runtime.Controller;
import io.flotilla.controllers.runtime.ControllerContext;
import io.flotilla.controllers.runtime.Keys;
import io.flotilla.controllers.runtime.Reconciler;
import io.flotilla.controllers.runtime.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Deletes finished Jobs {@code ttlSecondsAfterFinished} after they finished (upstream's {@code
 * ttl-after-finished-controller}): the finish time is the {@code Complete} or {@code Failed}
 * condition's transition time; the delete uses foreground propagation. Threading: see {@link
 * Controller}.
 */
public final class TtlAfterFinishedController implements Reconciler {
  public static final String NAME = "ttl-after-finished";

  private final ControllerContext ctx;
  private final SharedIndexInformer<Job> jobs;

  private TtlAfterFinishedController(ControllerContext ctx) {
    this.ctx = ctx;
    this.jobs = ctx.informers().forType(Job.class);
  }

  public static Controller create(ControllerContext ctx) {
    TtlAfterFinishedController r = new TtlAfterFinishedController(ctx);
    return Controller.builder(ctx, NAME, r).watch(r.jobs).build();
  }

  @Override
  public Result reconcile(String key) {
    Job job = jobs.getStore().getByKey(key);
    if (job == null
        || job.getMetadata().getDeletionTimestamp() != null
        || job.getSpec().getTtlSecondsAfterFinished() == null) {
      return Result.done();
    }
    Optional<Instant> finished = finishedAt(job);
    if (finished.isEmpty()) {
      return Result.done();
    }
    Instant expires = finished.get().plusSeconds(job.getSpec().getTtlSecondsAfterFinished());
    Instant now = ctx.clock().now();
    if (expires.isAfter(now)) {
      return Result.requeueAfter(Duration.between(now, expires));
    }
    try {
      ctx.client()
          .batch()
          .v1()
          .jobs()
          .inNamespace(Keys.namespace(key))
          .resource(job)
          .withPropagationPolicy(DeletionPropagation.FOREGROUND)
          .delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 409) {
        throw e;
      }
    }
    return Result.done();
  }

  /** When the job finished, if it has ({@code Complete} or {@code Failed} True). */
  static Optional<Instant> finishedAt(Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    for (JobCondition c : job.getStatus().getConditions()) {
      if (("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
          && "True".equals(c.getStatus())) {
        String t = c.getLastTransitionTime();
        return Optional.of(t == null ? Instant.EPOCH : Instant.parse(t));
      }
    }
    return Optional.empty();
  }
}
