package io.flotilla.apiserver.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.ResourceType;
import io.flotilla.apiserver.rest.ApiRequest;
import io.flotilla.apiserver.rest.RestContext;
import io.flotilla.apiserver.rest.StatusException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Resolves what a pod subresource call needs to reach a kubelet, as upstream's pod strategy does:
 * the pod (404), its container (defaulted, or checked against every init, regular and ephemeral
 * container: 400), and the endpoint of the node it is bound to. Stateless; never blocks.
 */
final class PodTargets {
  /** The annotation kubectl reads to pick a container; honoured here too when none is named. */
  static final String DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container";

  private final RestContext ctx;
  private final List<String> addressTypes;

  PodTargets(RestContext ctx, List<String> addressTypes) {
    this.ctx = ctx;
    this.addressTypes = addressTypes;
  }

  /** Reads the pod; fails with 404 when it is absent. */
  CompletableFuture<ObjectNode> pod(ApiRequest r) {
    ResourceType pods = r.type();
    return ctx.read(pods, r.namespace(), r.name())
        .thenApply(
            s -> {
              if (s == null) {
                throw StatusException.notFound(pods, r.name());
              }
              return s.object();
            });
  }

  /** Reads the pod's node and picks its kubelet endpoint; 404 when the node is gone. */
  CompletableFuture<KubeletEndpoint> endpoint(String nodeName) {
    ResourceType nodes =
        ctx.registry()
            .byResource("", "v1", "nodes")
            .orElseThrow(() -> new IllegalStateException("the registry lacks nodes"));
    return ctx.read(nodes, "", nodeName)
        .thenApply(
            s -> {
              if (s == null) {
                throw StatusException.notFound(nodes, nodeName);
              }
              return KubeletEndpoint.of(s.object(), addressTypes);
            });
  }

  static String nodeName(JsonNode pod) {
    return pod.path("spec").path("nodeName").asText("");
  }

  /**
   * The container a call addresses: the one named, which must exist; else the one the {@value
   * #DEFAULT_CONTAINER} annotation names; else the pod's only container.
   */
  static String container(JsonNode pod, String requested) {
    String pod1 = pod.path("metadata").path("name").asText();
    List<String> all = new ArrayList<>();
    for (String field : List.of("initContainers", "containers", "ephemeralContainers")) {
      pod.path("spec").path(field).forEach(c -> all.add(c.path("name").asText()));
    }
    if (requested != null && !requested.isEmpty()) {
      if (!all.contains(requested)) {
        throw StatusException.badRequest(
            "container " + requested + " is not valid for pod " + pod1);
      }
      return requested;
    }
    String annotated = pod.path("metadata").path("annotations").path(DEFAULT_CONTAINER).asText("");
    if (!annotated.isEmpty() && all.contains(annotated)) {
      return annotated;
    }
    JsonNode containers = pod.path("spec").path("containers");
    if (containers.size() == 1) {
      return containers.get(0).path("name").asText();
    }
    if (containers.isEmpty()) {
      throw StatusException.badRequest("a container name must be specified for pod " + pod1);
    }
    throw StatusException.badRequest(
        "a container name must be specified for pod "
            + pod1
            + ", choose one of: ["
            + String.join(" ", all)
            + "]");
  }

  /** A query flag as Go's strconv.ParseBool reads it (absent: false). */
  static boolean flag(ApiRequest r, String name) {
    String v = r.param(name);
    if (v == null || v.isEmpty()) {
      return false;
    }
    return switch (v) {
      case "1", "t", "T", "true", "TRUE", "True" -> true;
      case "0", "f", "F", "false", "FALSE", "False" -> false;
      default ->
          throw StatusException.badRequest(
              "invalid value for query parameter " + name + ": \"" + v + "\" is not a boolean");
    };
  }
}
