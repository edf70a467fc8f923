package io.flotilla.apiserver.kubelet;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.apiserver.rest.StatusException;
import java.util.List;

/**
 * Where a node's kubelet API listens: an address from {@code status.addresses}, picked by type
 * preference, and {@code status.daemonEndpoints.kubeletEndpoint.Port}.
 */
public record KubeletEndpoint(String node, String host, int port) {

  /**
   * The address types tried in order. Upstream kube-apiserver's default puts Hostname first; like
   * kubeadm we prefer the InternalIP the agent publishes, since a node's host name need not resolve
   * where the apiserver runs.
   */
  public static final List<String> DEFAULT_ADDRESS_TYPES =
      List.of("InternalIP", "InternalDNS", "Hostname", "ExternalIP", "ExternalDNS");

  /** Upstream's default kubelet port, used when the node publishes none. */
  public static final int DEFAULT_PORT = 10250;

  /**
   * The endpoint of a Node object.
   *
   * @throws StatusException 503 when the node publishes no address of any preferred type
   */
  public static KubeletEndpoint of(JsonNode node, List<String> addressTypes) {
    String name = node.path("metadata").path("name").asText();
    JsonNode status = node.path("status");
    int port = status.path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(0);
    if (port <= 0) {
      port = DEFAULT_PORT;
    }
    for (String type : addressTypes) {
      for (JsonNode a : status.path("addresses")) {
        String address = a.path("address").asText("");
        if (type.equals(a.path("type").asText()) && !address.isEmpty()) {
          return new KubeletEndpoint(name, address, port);
        }
      }
    }
    throw new StatusException(
        503,
        "ServiceUnavailable",
        "no preferred addresses found; known addresses: "
            + status.path("addresses")
            + " (node \""
            + name
            + "\" publishes none of "
            + addressTypes
            + " in status.addresses)",
        null);
  }

  /** "host:port", with brackets around an IPv6 address. */
  public String authority() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
