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
final class ReplicaSetKind implements ReplicaKind<ReplicaSet> {
  @Override
  public String kind() {
    return "ReplicaSet";
  }

  @Override
  public String apiVersion() {
    return "apps/v1";
  }

  @Override
  public Class<ReplicaSet> type() {
    return ReplicaSet.class;
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
  public ReplicaStatus status(ReplicaSet o) {
    ReplicaSetStatus s = o.getStatus();
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
  public void writeStatus(KubernetesClient client, ReplicaSet o, ReplicaStatus s) {
    ReplicaSet copy =
        new ReplicaSetBuilder(o)
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
                            new ReplicaSetCondition(
                                c.lastTransitionTime(),
                                c.message(),
                                c.reason(),
                                c.status(),
                                c.type()))
                    .toList())
            .endStatus()
            .build();
    client
        .apps()
        .replicaSets()
        .inNamespace(o.getMetadata().getNamespace())
        .resource(copy)
        .updateStatus();
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }
}
