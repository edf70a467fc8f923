package io.flotilla.controllers.replicaset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.controllers.runtime.EventRecorder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates, deletes, adopts and releases pods for a controller and records the Events upstream's
 * {@code RealPodControl} records (SuccessfulCreate, FailedCreate, SuccessfulDelete, FailedDelete).
 * Stateless and thread-safe; shared by every controller that owns pods.
 */
public final class PodControl {
  private final KubernetesClient client;
  private final EventRecorder events;

  public PodControl(KubernetesClient client, EventRecorder events) {
    this.client = client;
    this.events = events;
  }

  /** Creates a pod from {@code template} owned by {@code owner}, named {@code <owner>-<random>}. */
  public Pod create(HasMetadata owner, PodTemplateSpec template, OwnerReference ref) {
    Map<String, String> labels = new HashMap<>();
    Map<String, String> annotations = new HashMap<>();
    List<String> finalizers = new ArrayList<>();
    if (template.getMetadata() != null) {
      if (template.getMetadata().getLabels() != null) {
        labels.putAll(template.getMetadata().getLabels());
      }
      if (template.getMetadata().getAnnotations() != null) {
        annotations.putAll(template.getMetadata().getAnnotations());
      }
      if (template.getMetadata().getFinalizers() != null) {
        finalizers.addAll(template.getMetadata().getFinalizers());
      }
    }
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withGenerateName(owner.getMetadata().getName() + "-")
            .withNamespace(owner.getMetadata().getNamespace())
            .withLabels(labels)
            .withAnnotations(annotations.isEmpty() ? null : annotations)
            .withFinalizers(finalizers.isEmpty() ? null : finalizers)
            .withOwnerReferences(ref)
            .endMetadata()
            .withSpec(template.getSpec())
            .build();
    try {
      Pod created =
          client.pods().inNamespace(owner.getMetadata().getNamespace()).resource(pod).create();
      events.normal(owner, "SuccessfulCreate", "Created pod: %s", created.getMetadata().getName());
      return created;
    } catch (RuntimeException e) {
      events.warning(owner, "FailedCreate", "Error creating: %s", e.getMessage());
      throw e;
    }
  }

  /** Deletes {@code pod}; true if it was deleted here, false if it was already gone. */
  public boolean delete(HasMetadata owner, Pod pod) {
    try {
      var r =
          client
              .pods()
              .inNamespace(pod.getMetadata().getNamespace())
              .withName(pod.getMetadata().getName())
              .delete();
      if (r.isEmpty()) {
        return false;
      }
      events.normal(owner, "SuccessfulDelete", "Deleted pod: %s", pod.getMetadata().getName());
      return true;
    } catch (RuntimeException e) {
      events.warning(owner, "FailedDelete", "Error deleting: %s", e.getMessage());
      throw e;
    }
  }
}
