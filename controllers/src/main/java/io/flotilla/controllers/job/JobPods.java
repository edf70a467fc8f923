package io.flotilla.controllers.job;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.flotilla.controllers.runtime.Ownership;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pods of a Job as upstream's job controller makes them: the template's labels and annotations, the
 * owner reference, the {@code batch.kubernetes.io/job-tracking} finalizer and, for Indexed jobs,
 * the completion index (annotation, label, {@code JOB_COMPLETION_INDEX}, hostname). Stateless.
 */
final class JobPods {
  static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
  static final String INDEX_ANNOTATION = "batch.kubernetes.io/job-completion-index";
  static final String INDEX_LABEL = "batch.kubernetes.io/job-completion-index";
  static final String INDEX_ENV = "JOB_COMPLETION_INDEX";

  private JobPods() {}

  static boolean indexed(Job job) {
    return "Indexed".equals(job.getSpec().getCompletionMode());
  }

  /** The pod to create for {@code job}, with {@code index} for Indexed jobs (else -1). */
  static Pod newPod(Job job, int index) {
    ObjectMeta tm = job.getSpec().getTemplate().getMetadata();
    Map<String, String> labels = new HashMap<>();
    Map<String, String> annotations = new HashMap<>();
    if (tm != null && tm.getLabels() != null) {
      labels.putAll(tm.getLabels());
    }
    if (tm != null && tm.getAnnotations() != null) {
      annotations.putAll(tm.getAnnotations());
    }
    List<String> finalizers = new ArrayList<>();
    if (tm != null && tm.getFinalizers() != null) {
      finalizers.addAll(tm.getFinalizers());
    }
    finalizers.add(TRACKING_FINALIZER);
    String prefix = job.getMetadata().getName() + "-";
    PodSpec spec =
        new io.fabric8.kubernetes.api.model.PodSpecBuilder(job.getSpec().getTemplate().getSpec())
            .build();
    if (index >= 0) {
      annotations.put(INDEX_ANNOTATION, Integer.toString(index));
      labels.put(INDEX_LABEL, Integer.toString(index));
      prefix = job.getMetadata().getName() + "-" + index + "-";
      if (spec.getHostname() == null) {
        spec.setHostname(job.getMetadata().getName() + "-" + index);
      }
      EnvVar env =
          new EnvVarBuilder()
              .withName(INDEX_ENV)
              .withNewValueFrom()
              .withNewFieldRef()
              .withFieldPath("metadata.annotations['" + INDEX_ANNOTATION + "']")
              .endFieldRef()
              .endValueFrom()
              .build();
      for (List<Container> cs : List.of(spec.getContainers(), spec.getInitContainers())) {
        for (Container c : cs) {
          List<EnvVar> envs = new ArrayList<>(c.getEnv() == null ? List.of() : c.getEnv());
          if (envs.stream().noneMatch(e -> INDEX_ENV.equals(e.getName()))) {
            envs.add(env);
          }
          c.setEnv(envs);
        }
      }
    }
    return new PodBuilder()
        .withNewMetadata()
        .withGenerateName(prefix)
        .withNamespace(job.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(annotations.isEmpty() ? null : annotations)
        .withFinalizers(finalizers)
        .withOwnerReferences(Ownership.controllerRef(job, "batch/v1", "Job"))
        .endMetadata()
        .withSpec(spec)
        .build();
  }

  /** The completion index of a pod of an Indexed job, or -1 when it has none or a bad one. */
  static int index(Pod p, int completions) {
    String v =
        p.getMetadata().getAnnotations() == null
            ? null
            : p.getMetadata().getAnnotations().get(INDEX_ANNOTATION);
    if (v == null && p.getMetadata().getLabels() != null) {
      v = p.getMetadata().getLabels().get(INDEX_LABEL);
    }
    if (v == null) {
      return -1;
    }
    try {
      int i = Integer.parseInt(v);
      return i >= 0 && i < completions ? i : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static boolean hasFinalizer(Pod p) {
    return p.getMetadata().getFinalizers() != null
        && p.getMetadata().getFinalizers().contains(TRACKING_FINALIZER);
  }

  static boolean succeeded(Pod p) {
    return p.getStatus() != null && "Succeeded".equals(p.getStatus().getPhase());
  }

  /**
   * Failed, or being deleted before it succeeded ({@code isPodFailed} without replacement policy).
   */
  static boolean failed(Pod p) {
    if (p.getStatus() != null && "Failed".equals(p.getStatus().getPhase())) {
      return true;
    }
    return p.getMetadata().getDeletionTimestamp() != null && !succeeded(p);
  }

  static boolean terminating(Pod p) {
    return p.getMetadata().getDeletionTimestamp() != null
        && !succeeded(p)
        && !(p.getStatus() != null && "Failed".equals(p.getStatus().getPhase()));
  }

  /** When the pod finished: the latest container finishedAt, else {@code fallback}. */
  static Instant finishedAt(Pod p, Instant fallback) {
    Instant latest = null;
    if (p.getStatus() != null && p.getStatus().getContainerStatuses() != null) {
      for (var cs : p.getStatus().getContainerStatuses()) {
        if (cs.getState() != null
            && cs.getState().getTerminated() != null
            && cs.getState().getTerminated().getFinishedAt() != null) {
          Instant t = Instant.parse(cs.getState().getTerminated().getFinishedAt());
          latest = latest == null || t.isAfter(latest) ? t : latest;
        }
      }
    }
    return latest == null ? fallback : latest;
  }
}
