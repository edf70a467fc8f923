package io.flotilla.controllers.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.flotilla.controllers.runtime.Keys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Job controller's writes: pods created and deleted (with expectations and the upstream
 * Events), tracking finalizers removed, status written. Stateless apart from the shared
 * expectations; thread-safe.
 */
final class JobPodControl {
  private final JobController jc;

  JobPodControl(JobController jc) {
    this.jc = jc;
  }

  /** Creates pods for {@code indexes} (-1 for NonIndexed), one after another; stops at an error. */
  void create(String key, Job job, List<Integer> indexes) {
    jc.expectations.expectCreations(key, indexes.size());
    int done = 0;
    try {
      for (int index : indexes) {
        Pod pod = JobPods.newPod(job, index);
        try {
          Pod created =
              jc.ctx
                  .client()
                  .pods()
                  .inNamespace(job.getMetadata().getNamespace())
                  .resource(pod)
                  .create();
          jc.events.normal(
              job, "SuccessfulCreate", "Created pod: %s", created.getMetadata().getName());
        } catch (KubernetesClientException e) {
          jc.events.warning(job, "FailedCreate", "Error creating: %s", e.getMessage());
          throw e;
        }
        done++;
      }
    } finally {
      for (int i = done; i < indexes.size(); i++) {
        jc.expectations.creationObserved(key);
      }
    }
  }

  /**
   * Deletes active pods. With {@code release} the tracking finalizer goes first, so the pod is not
   * counted as failed (pods of a suspended job, or beyond parallelism).
   */
  void delete(String key, Job job, List<Pod> victims, boolean release) {
    jc.expectations.expectDeletions(
        key, victims.stream().map(Keys::of).collect(Collectors.toSet()));
    for (Pod p : victims) {
      try {
        if (release && JobPods.hasFinalizer(p)) {
          removeFinalizer(p);
        }
        var r =
            jc.ctx
                .client()
                .pods()
                .inNamespace(p.getMetadata().getNamespace())
                .withName(p.getMetadata().getName())
                .delete();
        if (r.isEmpty()) {
          jc.expectations.deletionObserved(key, Keys.of(p));
        } else {
          jc.events.normal(job, "SuccessfulDelete", "Deleted pod: %s", p.getMetadata().getName());
        }
      } catch (KubernetesClientException e) {
        jc.expectations.deletionObserved(key, Keys.of(p));
        jc.events.warning(job, "FailedDelete", "Error deleting: %s", e.getMessage());
        throw e;
      }
    }
  }

  /** Removes the tracking finalizer; a pod already gone is fine. */
  void removeFinalizer(Pod p) {
    List<String> rest = new ArrayList<>(p.getMetadata().getFinalizers());
    rest.remove(JobPods.TRACKING_FINALIZER);
    Map<String, Object> meta = new HashMap<>();
    meta.put("finalizers", rest);
    meta.put("resourceVersion", p.getMetadata().getResourceVersion());
    try {
      jc.ctx
          .client()
          .pods()
          .inNamespace(p.getMetadata().getNamespace())
          .withName(p.getMetadata().getName())
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              Serialization.asJson(Map.of("metadata", meta)));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** Writes {@code status} over the job's, guarded by its resourceVersion; returns the new job. */
  Job updateStatus(Job job, JobStatus status) {
    Job copy =
        new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder(job).withStatus(status).build();
    return jc.ctx
        .client()
        .batch()
        .v1()
        .jobs()
        .inNamespace(job.getMetadata().getNamespace())
        .resource(copy)
        .updateStatus();
  }

  static Set<String> uids(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
  }
}
