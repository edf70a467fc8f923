package io.flotilla.controllers.replicaset;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ReplicationControllerBuilder;
import io.fabric8.kubernetes.api.model.ReplicationControllerCondition;
import io.fabric8.kubernetes.api.model.ReplicationControllerStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.controllers.runtime.Selectors;
import java.util.List;
import java.util.Map;

/** core/v1 ReplicationController as a {@link ReplicaKind}. Stateless. */
final class ReplicationControllerKind implements ReplicaKind<ReplicationController> {
  @Override
  public String kind() {
    return "ReplicationController";
  }

  @Override
  public String apiVersion() {
    return "v1";
  }

  @Override
  public Class<ReplicationController> type() {
    return ReplicationController.class;
  }

  @Override
  public int replicas(ReplicationController o) {
    Integer r = o.getSpec().getReplicas();
    return r == null ? 1 : r;
  }

  @Override
  public int minReadySeconds(ReplicationController o) {
    Integer m = o.getSpec().getMinReadySeconds();
    return m == null ? 0 : m;
  }

  @Override
  public PodTemplateSpec template(ReplicationController o) {
    return o.getSpec().getTemplate();
  }

  @Override
  public boolean selects(ReplicationController o, Map<String, String> labels) {
    return Selectors.matches(o.getSpec().getSelector(), labels);
  }

  @Override
  public ReplicaStatus status(ReplicationController o) {
    ReplicationControllerStatus s = o.getStatus();
    if (s == null) {
      return new ReplicaStatus(0, 0, 0, 0, 0, List.of());
    }
    List<Condition> conds =
        s.getConditions() == null
            ? List.of()
            : s.getConditions().stream()
                .map(
                    c ->
                        new Condition(
                            c.getType(),
                            c.getStatus(),
                            c.getReason(),
                            c.getMessage(),
                            c.getLastTransitionTime()))
                .toList();
    return new ReplicaStatus(
        n(s.getReplicas()),
        n(s.getFullyLabeledReplicas()),
        n(s.getReadyReplicas()),
        n(s.getAvailableReplicas()),
        s.getObservedGeneration() == null ? 0 : s.getObservedGeneration(),
        conds);
  }

  @Override
  public void writeStatus(KubernetesClient client, ReplicationController o, ReplicaStatus s) {
    ReplicationController copy =
        new ReplicationControllerBuilder(o)
            .withNewStatus()
            .withReplicas(s.replicas())
            .withFullyLabeledReplicas(s.fullyLabeledReplicas())
            .withReadyReplicas(s.readyReplicas())
            .withAvailableReplicas(s.availableReplicas())
            .withObservedGeneration(s.observedGeneration())
            .withConditions(
                s.conditions().stream()
                    .map(
                        c ->
                            new ReplicationControllerCondition(
                                c.lastTransitionTime(),
                                c.message(),
                                c.reason(),
                                c.status(),
                                c.type()))
                    .toList())
            .endStatus()
            .build();
    client
        .replicationControllers()
        .inNamespace(o.getMetadata().getNamespace())
        .resource(copy)
        .updateStatus();
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }
}
