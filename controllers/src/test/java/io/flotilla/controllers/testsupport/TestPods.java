package io.flotilla.controllers.testsupport;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** Pod templates and the pod status a node agent would write, for controller tests. */
public final class TestPods {
  private TestPods() {}

  public static PodTemplateSpec template(Map<String, String> labels, String image) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage(image)
        .endContainer()
        .endSpec()
        .build();
  }

  /** Writes Running and Ready=True (since {@code since}) through the status subresource. */
  public static Pod markReady(KubernetesClient k, Pod p, Instant since) {
    String t = since.truncatedTo(ChronoUnit.SECONDS).toString();
    Pod fresh =
        k.pods()
            .inNamespace(p.getMetadata().getNamespace())
            .withName(p.getMetadata().getName())
            .get();
    Pod copy =
        new PodBuilder(fresh)
            .withNewStatus()
            .withPhase("Running")
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .withLastTransitionTime(t)
            .endCondition()
            .endStatus()
            .build();
    return k.pods().inNamespace(p.getMetadata().getNamespace()).resource(copy).updateStatus();
  }

  /** Marks every pod in {@code namespace} with these labels that is not yet Ready. */
  public static void markAllReady(
      KubernetesClient k, String namespace, Map<String, String> labels, Instant since) {
    for (Pod p : k.pods().inNamespace(namespace).withLabels(labels).list().getItems()) {
      if (p.getMetadata().getDeletionTimestamp() == null
          && (p.getStatus() == null
              || p.getStatus().getConditions() == null
              || p.getStatus().getConditions().stream()
                  .noneMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")))) {
        try {
          markReady(k, p, since);
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
          if (e.getCode() != 404 && e.getCode() != 409) {
            throw e;
          }
        }
      }
    }
  }
}
