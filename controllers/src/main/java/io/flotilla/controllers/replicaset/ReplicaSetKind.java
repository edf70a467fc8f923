package io.flotilla.controllers.replicaset;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.controllers.runtime.Selectors;
import java.util.List;
import java.util.Map;

/** apps/v1 ReplicaSet as a {@link ReplicaKind}. Stateless. */
final class ReplicaSetKind extends AbstractReplicaKind<ReplicaSet, ReplicaSetCondition> {
  ReplicaSetKind() {
    super("ReplicaSet", "apps/v1", ReplicaSet.class, ReplicaSetCondition::new);
  }

  @Override
  public int replicas(ReplicaSet o) {
    Integer r = o.getSpec().getReplicas();
    return r == null ? 1 : r;
  }

  @Override
  public int minReadySeconds(ReplicaSet o) {
    Integer m = o.getSpec().getMinReadySeconds();
    return m == null ? 0 : m;
  }

  @Override
  public PodTemplateSpec template(ReplicaSet o) {
    return o.getSpec().getTemplate();
  }

  @Override
  public boolean selects(ReplicaSet o, Map<String, String> labels) {
    return !Selectors.isEmpty(o.getSpec().getSelector())
        && Selectors.matches(o.getSpec().getSelector(), labels);
  }

  @Override
  protected RawStatus<ReplicaSetCondition> rawStatus(ReplicaSet o) {
    ReplicaSetStatus s = o.getStatus();
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
  protected Condition condition(ReplicaSetCondition c) {
    return new Condition(
        c.getType(), c.getStatus(), c.getReason(), c.getMessage(), c.getLastTransitionTime());
  }

  @Override
  protected ReplicaSet withStatus(
      ReplicaSet o, ReplicaStatus s, List<ReplicaSetCondition> conditions) {
    return new ReplicaSetBuilder(o)
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
  protected void updateStatus(KubernetesClient client, ReplicaSet copy) {
    client
        .apps()
        .replicaSets()
        .inNamespace(copy.getMetadata().getNamespace())
        .resource(copy)
        .updateStatus();
  }
}
