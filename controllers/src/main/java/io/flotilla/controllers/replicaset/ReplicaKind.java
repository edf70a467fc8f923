package io.flotilla.controllers.replicaset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/**
 * What the replica logic needs from a kind that keeps n copies of a pod template: ReplicaSet
 * ({@link ReplicaSetController}) and ReplicationController ({@link ReplicationManager}), as
 * upstream runs the ReplicationController through the ReplicaSet code. Stateless.
 */
interface ReplicaKind<T extends HasMetadata> {
  String kind();

  String apiVersion();

  Class<T> type();

  int replicas(T o);

  int minReadySeconds(T o);

  PodTemplateSpec template(T o);

  /** Whether the object's selector selects these labels (false for an empty selector). */
  boolean selects(T o, Map<String, String> labels);

  ReplicaStatus status(T o);

  /** Writes {@code status} through the status subresource (a conflict throws). */
  void writeStatus(KubernetesClient client, T o, ReplicaStatus status);

  /** A status condition, common to both kinds' condition types. */
  record Condition(
      String type, String status, String reason, String message, String lastTransitionTime) {}

  /** The status both kinds share. */
  record ReplicaStatus(
      int replicas,
      int fullyLabeledReplicas,
      int readyReplicas,
      int availableReplicas,
      long observedGeneration,
      List<Condition> conditions) {}
}
