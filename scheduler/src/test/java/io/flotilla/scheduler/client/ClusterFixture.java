package io.flotilla.scheduler.client;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Nodes and pods written through the API as a node agent and a user would, and reads back. */
final class ClusterFixture {
  static final Duration WAIT = Duration.ofSeconds(60);
  private final KubernetesClient client;

  ClusterFixture(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Registers a node as a node agent does: the Node first, then its status (capacity, allocatable
   * and Ready=True) through the status subresource.
   */
  void node(Node n) {
    Node spec = new NodeBuilder(n).withStatus(null).build();
    client.nodes().resource(spec).create();
    Map<String, Object> status =
        Map.of(
            "capacity", n.getStatus().getCapacity(),
            "allocatable", n.getStatus().getAllocatable(),
            "conditions",
                List.of(
                    Map.of(
                        "type", "Ready",
                        "status", "True",
                        "reason", "KubeletReady",
                        "lastHeartbeatTime", Instant.now().toString().substring(0, 19) + "Z",
                        "lastTransitionTime", Instant.now().toString().substring(0, 19) + "Z")));
    client
        .nodes()
        .withName(n.getMetadata().getName())
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            client.getKubernetesSerialization().asJson(Map.of("status", status)));
  }

  /** Creates a pod (its status and creation time are the server's to set). */
  Pod pod(Pod p) {
    Pod clean =
        new PodBuilder(p)
            .withStatus(null)
            .editMetadata()
            .withCreationTimestamp(null)
            .endMetadata()
            .build();
    return client.pods().inNamespace(p.getMetadata().getNamespace()).resource(clean).create();
  }

  Pod get(String name) {
    return client.pods().inNamespace("default").withName(name).get();
  }

  /** Waits until the pod is bound and returns its node. */
  String awaitBound(String name) {
    return await("pod " + name + " bound")
        .atMost(WAIT)
        .until(
            () -> {
              Pod p = get(name);
              return p == null ? null : p.getSpec().getNodeName();
            },
            n -> n != null && !n.isEmpty());
  }

  static PodCondition condition(Pod p, String type) {
    if (p == null || p.getStatus() == null || p.getStatus().getConditions() == null) {
      return null;
    }
    return p.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  List<Event> events(String podName, String reason) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> podName.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }
}
