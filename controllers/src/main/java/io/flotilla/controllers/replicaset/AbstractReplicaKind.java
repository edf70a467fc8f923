package io.flotilla.controllers.replicaset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * The parts of {@link ReplicaKind} that ReplicaSet and ReplicationController share: identity and
 * the mapping between each kind's generated status types and {@link ReplicaStatus}. Subclasses only
 * read and write their own types' fields. Stateless.
 *
 * @param <T> the object type
 * @param <C> the object's status condition type
 */
abstract class AbstractReplicaKind<T extends HasMetadata, C> implements ReplicaKind<T> {
  /** Creates a kind's condition; the argument order of fabric8's generated constructors. */
  @FunctionalInterface
  interface ConditionFactory<C> {
    C create(String lastTransitionTime, String message, String reason, String status, String type);
  }

  /** A kind's status fields as read from the object (any may be null). */
  record RawStatus<C>(
      Integer replicas,
      Integer fullyLabeledReplicas,
      Integer readyReplicas,
      Integer availableReplicas,
      Long observedGeneration,
      List<C> conditions) {}

  private final String kind;
  private final String apiVersion;
  private final Class<T> type;
  private final ConditionFactory<C> newCondition;

  AbstractReplicaKind(
      String kind, String apiVersion, Class<T> type, ConditionFactory<C> newCondition) {
    this.kind = kind;
    this.apiVersion = apiVersion;
    this.type = type;
    this.newCondition = newCondition;
  }

  /** The object's status fields, or null when it has no status. */
  protected abstract RawStatus<C> rawStatus(T o);

  /** One of the kind's conditions as a {@link Condition}. */
  protected abstract Condition condition(C c);

  /** A copy of {@code o} whose status is replaced by {@code s} with these conditions. */
  protected abstract T withStatus(T o, ReplicaStatus s, List<C> conditions);

  /** Writes {@code copy}'s status through the status subresource (a conflict throws). */
  protected abstract void updateStatus(KubernetesClient client, T copy);

  @Override
  public final String kind() {
    return kind;
  }

  @Override
  public final String apiVersion() {
    return apiVersion;
  }

  @Override
  public final Class<T> type() {
    return type;
  }

  @Override
  public final ReplicaStatus status(T o) {
    RawStatus<C> s = rawStatus(o);
    if (s == null) {
      return new ReplicaStatus(0, 0, 0, 0, 0, List.of());
    }
    List<Condition> conds =
        s.conditions() == null ? List.of() : s.conditions().stream().map(this::condition).toList();
    return new ReplicaStatus(
        n(s.replicas()),
        n(s.fullyLabeledReplicas()),
        n(s.readyReplicas()),
        n(s.availableReplicas()),
        s.observedGeneration() == null ? 0 : s.observedGeneration(),
        conds);
  }

  @Override
  public final void writeStatus(KubernetesClient client, T o, ReplicaStatus s) {
    List<C> conds =
        s.conditions().stream()
            .map(
                c ->
                    newCondition.create(
                        c.lastTransitionTime(), c.message(), c.reason(), c.status(), c.type()))
            .toList();
    updateStatus(client, withStatus(o, s, conds));
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }
}
