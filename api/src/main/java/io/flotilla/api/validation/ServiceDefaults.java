package io.flotilla.api.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Upstream's defaults for Services and their endpoints. */
final class ServiceDefaults {
  private ServiceDefaults() {}

  static void service(ObjectNode spec) {
    Json.putIfAbsent(spec, "type", "ClusterIP");
    Json.putIfAbsent(spec, "sessionAffinity", "None");
    String type = Json.text(spec, "type");
    if ("ClientIP".equals(Json.text(spec, "sessionAffinity"))) {
      ObjectNode clientIp =
          Json.objectOrCreate(Json.objectOrCreate(spec, "sessionAffinityConfig"), "clientIP");
      Json.putIfAbsent(clientIp, "timeoutSeconds", 10800);
    }
    for (ObjectNode port : Json.objects(spec, "ports")) {
      Json.putIfAbsent(port, "protocol", "TCP");
      if (Json.absent(port, "targetPort") && port.has("port")) {
        port.set("targetPort", port.get("port"));
      }
    }
    if ("NodePort".equals(type) || "LoadBalancer".equals(type)) {
      Json.putIfAbsent(spec, "externalTrafficPolicy", "Cluster");
    }
    if ("LoadBalancer".equals(type)) {
      Json.putIfAbsent(spec, "allocateLoadBalancerNodePorts", true);
    }
    if (!"ExternalName".equals(type)) {
      Json.putIfAbsent(spec, "internalTrafficPolicy", "Cluster");
      Json.putIfAbsent(spec, "ipFamilyPolicy", "SingleStack");
      if (Json.absent(spec, "ipFamilies") || spec.get("ipFamilies").isEmpty()) {
        // The family follows a requested cluster IP; otherwise the cluster's primary, IPv4.
        String ip = Json.textOr(spec, "clusterIP");
        spec.set("ipFamilies", PodDefaults.array(ip.contains(":") ? "IPv6" : "IPv4"));
      }
    }
  }

  static void endpoints(ObjectNode endpoints) {
    for (ObjectNode subset : Json.objects(endpoints, "subsets")) {
      for (ObjectNode port : Json.objects(subset, "ports")) {
        Json.putIfAbsent(port, "protocol", "TCP");
      }
    }
  }

  static void endpointSlice(ObjectNode slice) {
    for (ObjectNode port : Json.objects(slice, "ports")) {
      Json.putIfAbsent(port, "name", "");
      Json.putIfAbsent(port, "protocol", "TCP");
    }
  }
}
