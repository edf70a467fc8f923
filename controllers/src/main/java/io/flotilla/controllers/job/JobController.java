package io.flotilla.controllers.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.flotilla.controllers.runtime.Controller;
import io.flotilla.controllers.runtime.ControllerContext;
import io.flotilla.controllers.runtime.EventRecorder;
import io.flotilla.controllers.runtime.Expectations;
import io.flotilla.controllers.runtime.Keys;
import io.flotilla.controllers.runtime.Pods;
import io.flotilla.controllers.runtime.Reconciler;
import io.flotilla.controllers.runtime.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Job controller (upstream's {@code job-controller}): runs a Job's pods to completion, counts
 * finished pods through the {@code batch.kubernetes.io/job-tracking} finalizer and {@code
 * status.uncountedTerminatedPods}, applies backoffLimit (with exponential backoff before
 * recreating), activeDeadlineSeconds, podFailurePolicy, suspend and the Indexed completion mode,
 * and writes the 1.32 conditions: {@code FailureTarget}/{@code SuccessCriteriaMet} first, {@code
 * Failed}/{@code Complete} once no pod of the job is left running.
 *
 * <p>Threading: see {@link Controller}; one reconcile per job at a time. The pod event handler runs
 * on the informer thread and only updates {@link Expectations} and queues keys.
 */
public final class JobController implements Reconciler {
  public static final String NAME = "job";
  public static final String COMPONENT = "job-controller";

  final ControllerContext ctx;
  final SharedIndexInformer<Job> jobs;
  final SharedIndexInformer<Pod> pods;
  final EventRecorder events;
  final Expectations expectations;
  final JobBackoff backoff;
  final JobPodAccounting accounting;
  final JobPodControl podControl;

  private JobController(ControllerContext ctx) {
    this.ctx = ctx;
    this.jobs = ctx.informers().forType(Job.class);
    this.pods = ctx.informers().forType(Pod.class);
    this.events = ctx.recorder(COMPONENT);
    this.expectations = new Expectations(ctx.clock());
    this.backoff = new JobBackoff();
    this.accounting = new JobPodAccounting(this);
    this.podControl = new JobPodControl(this);
  }

  public static Controller create(ControllerContext ctx) {
    JobController r = new JobController(ctx);
    Controller c = Controller.builder(ctx, NAME, r).watch(r.jobs).reads(r.pods).workers(5).build();
    r.pods.addEventHandler(r.podHandler(c));
    return c;
  }

  private ResourceEventHandler<Pod> podHandler(Controller c) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod p) {
        jobKey(p)
            .ifPresent(
                k -> {
                  expectations.creationObserved(k);
                  c.enqueue(k);
                });
      }

      @Override
      public void onUpdate(Pod old, Pod p) {
        jobKey(p)
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
        jobKey(p)
            .ifPresent(
                k -> {
                  expectations.deletionObserved(k, Keys.of(p));
                  c.enqueue(k);
                });
      }
    };
  }

  static Optional<String> jobKey(Pod p) {
    return Pods.controllerOf(p)
        .filter(r -> "Job".equals(r.getKind()) && r.getApiVersion().startsWith("batch/"))
        .map(r -> Keys.of(p.getMetadata().getNamespace(), r.getName()));
  }

  /** The pods whose controller is {@code job} (by uid). */
  List<Pod> podsOf(Job job) {
    List<Pod> out = new ArrayList<>();
    for (Pod p :
        pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, job.getMetadata().getNamespace())) {
      if (Pods.controllerOf(p)
          .map(r -> Objects.equals(r.getUid(), job.getMetadata().getUid()))
          .orElse(false)) {
        out.add(p);
      }
    }
    return out;
  }

  @Override
  public Result reconcile(String key) {
    Job job = jobs.getStore().getByKey(key);
    if (job == null) {
      releaseOrphans(key);
      expectations.delete(key);
      backoff.forget(key);
      return Result.done();
    }
    List<Pod> owned = podsOf(job);
    // A finished job, or one being deleted (foreground deletion waits for its pods), keeps no
    // tracking finalizer on its pods.
    if (JobConditions.finished(job.getStatus())
        || job.getMetadata().getDeletionTimestamp() != null) {
      for (Pod p : owned) {
        if (JobPods.hasFinalizer(p)) {
          podControl.removeFinalizer(p);
        }
      }
      return Result.done();
    }
    if (!expectations.satisfied(key)) {
      return Result.done();
    }
    return new JobSync(this, key, job, owned).run();
  }

  /** Pods whose job is gone keep no tracking finalizer (upstream: orphan pods are released). */
  private void releaseOrphans(String key) {
    for (Pod p : pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, Keys.namespace(key))) {
      if (JobPods.hasFinalizer(p) && jobKey(p).map(key::equals).orElse(false)) {
        podControl.removeFinalizer(p);
      }
    }
  }

  JobStatus copyStatus(Job job) {
    return job.getStatus() == null
        ? new JobStatus()
        : new JobStatusBuilder(job.getStatus()).build();
  }

  Instant now() {
    return ctx.clock().now();
  }

  static Duration remaining(Instant until, Instant now) {
    return until.isAfter(now) ? Duration.between(now, until) : Duration.ZERO;
  }
}
