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
final class ReplicationControllerKind
    extends AbstractReplicaKind<ReplicationController, ReplicationControllerCondition> {
  ReplicationControllerKind() {
    super(
        "ReplicationController",
        "v1",
        ReplicationController.class,
        ReplicationControllerCondition::new);
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
  protected RawStatus<ReplicationControllerCondition> rawStatus(ReplicationController o) {
    ReplicationControllerStatus s = o.getStatus();
    return s == null
        ? null
        : new RawStatus<>(
            s.getReplicas(),
            s.getFullyLabeledReplicas(),
            s.getReadyReplicas(),
            s.getAvailableReplicas(),
            s.getObservedGeneration(),
            s.getConditions());
  }

  @Override
  protected Condition condition(ReplicationControllerCondition c) {
    return new Condition(
        c.getType(), c.getStatus(), c.getReason(), c.getMessage(), c.getLastTransitionTime());
  }

  @Override
  protected ReplicationController withStatus(
      ReplicationController o, ReplicaStatus s, List<ReplicationControllerCondition> conditions) {
    return new ReplicationControllerBuilder(o)
        .withNewStatus()
        .withReplicas(s.replicas())
        .withFullyLabeledReplicas(s.fullyLabeledReplicas())
        .withReadyReplicas(s.readyReplicas())
        .withAvailableReplicas(s.availableReplicas())
        .withObservedGeneration(s.observedGeneration())
        .withConditions(conditions)
        .endStatus()
        .build();
  }

  @Override
  protected void updateStatus(KubernetesClient client, ReplicationController copy) {
    client
        .replicationControllers()
        .inNamespace(copy.getMetadata().getNamespace())
        .resource(copy)
        .updateStatus();
  }
}
