package io.flotilla.api.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Checks Services: type, ports, selector, cluster IP and the fields a type allows. */
final class ServiceValidation {
  private ServiceValidation() {}

  static final List<String> TYPES =
      List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
  private static final List<String> AFFINITIES = List.of("ClientIP", "None");
  private static final List<String> TRAFFIC_POLICIES = List.of("Cluster", "Local");

  static void service(ObjectNode service, ObjectNode old, Errors errs) {
    ObjectNode spec = Json.object(service, "spec");
    if (spec == null) {
      errs.required("spec");
      return;
    }
    String type = Json.textOr(spec, "type");
    if (!TYPES.contains(type)) {
      errs.notSupported("spec.type", type, TYPES);
    }
    String clusterIp = Json.textOr(spec, "clusterIP");
    boolean headless = clusterIp.equals("None");
    List<ObjectNode> ports = Json.objects(spec, "ports");
    if (ports.isEmpty() && !headless && !type.equals("ExternalName")) {
      errs.required("spec.ports");
    }
    ports(ports, type, errs);
    if (type.equals("ExternalName")) {
      String external = Json.textOr(spec, "externalName");
      if (external.isEmpty()) {
        errs.required("spec.externalName");
      } else {
        String host =
            external.endsWith(".") ? external.substring(0, external.length() - 1) : external;
        errs.invalidEach("spec.externalName", external, Names.dns1123Subdomain(host));
      }
      if (!clusterIp.isEmpty()) {
        errs.forbidden("spec.clusterIPs", "may not be set for ExternalName services");
      }
    } else if (!clusterIp.isEmpty() && !headless && !IpAddresses.isIp(clusterIp)) {
      errs.invalid(
          "spec.clusterIP",
          clusterIp,
          "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
    }
    MetadataValidation.validateLabels(Json.entries(spec, "selector"), "spec.selector", errs);
    PodValidation.enumValue(spec, "sessionAffinity", "spec", AFFINITIES, errs);
    String etp = Json.text(spec, "externalTrafficPolicy");
    if (etp != null && !etp.isEmpty()) {
      if (!type.equals("NodePort") && !type.equals("LoadBalancer")) {
        errs.invalid(
            "spec.externalTrafficPolicy",
            etp,
            "may only be set when `type` is 'NodePort' or 'LoadBalancer'");
      } else if (!TRAFFIC_POLICIES.contains(etp)) {
        errs.notSupported("spec.externalTrafficPolicy", etp, TRAFFIC_POLICIES);
      }
    }
    PodValidation.enumValue(spec, "internalTrafficPolicy", "spec", TRAFFIC_POLICIES, errs);
    if (old != null) {
      update(spec, Json.object(old, "spec"), errs);
    }
  }

  private static void ports(List<ObjectNode> ports, String type, Errors errs) {
    Set<String> names = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      ObjectNode p = ports.get(i);
      String pp = "spec.ports[" + i + "]";
      String name = Json.textOr(p, "name");
      if (ports.size() > 1 && name.isEmpty()) {
        errs.required(pp + ".name");
      } else if (!name.isEmpty()) {
        errs.invalidEach(pp + ".name", name, Names.dns1123Label(name));
        if (!names.add(name)) {
          errs.duplicate(pp + ".name", name);
        }
      }
      long port = p.path("port").asLong(0);
      ContainerValidation.portNumber(port, pp + ".port", errs);
      ContainerValidation.protocol(p, pp + ".protocol", errs);
      if (p.has("targetPort")) {
        ContainerValidation.targetPort(p.get("targetPort"), pp + ".targetPort", errs);
      }
      long nodePort = p.path("nodePort").asLong(0);
      if (nodePort != 0) {
        // The range is the apiserver's (--service-node-port-range): its allocator checks it.
        if (type.equals("ClusterIP") || type.equals("ExternalName")) {
          errs.forbidden(pp + ".nodePort", "may not be used when `type` is '" + type + "'");
        } else if (nodePort < 1 || nodePort > 65535) {
          errs.invalid(pp + ".nodePort", nodePort, "must be between 1 and 65535, inclusive");
        }
      }
      String key = port + "/" + Json.textOr(p, "protocol");
      if (!keys.add(key)) {
        errs.duplicate(pp, key);
      }
    }
  }

  /** A cluster IP, once allocated, stays (unless the service becomes an ExternalName). */
  private static void update(ObjectNode spec, ObjectNode oldSpec, Errors errs) {
    String oldIp = Json.textOr(oldSpec, "clusterIP");
    String newIp = Json.textOr(spec, "clusterIP");
    boolean toExternalName = "ExternalName".equals(Json.text(spec, "type"));
    if (!oldIp.isEmpty() && !toExternalName && !Objects.equals(oldIp, newIp)) {
      errs.invalid("spec.clusterIPs[0]", newIp, "may not change once set");
    }
  }
}
