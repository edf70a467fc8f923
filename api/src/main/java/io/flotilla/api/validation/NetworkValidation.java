package io.flotilla.api.validation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Checks the networking kinds: Endpoints, EndpointSlice, Ingress and NetworkPolicy; hands the
 * policy kinds on.
 */
final class NetworkValidation {
  private NetworkValidation() {}

  private static final List<String> ADDRESS_TYPES = List.of("FQDN", "IPv4", "IPv6");
  private static final List<String> PATH_TYPES =
      List.of("Exact", "ImplementationSpecific", "Prefix");
  private static final List<String> POLICY_TYPES = List.of("Egress", "Ingress");

  static void validate(String kind, ObjectNode object, ObjectNode old, Errors errs) {
    switch (kind) {
      case "Endpoints" -> endpoints(object, errs);
      case "EndpointSlice" -> endpointSlice(object, errs);
      case "Ingress" -> ingress(object, errs);
      case "NetworkPolicy" -> networkPolicy(object, errs);
      default -> PolicyValidation.validate(kind, object, errs);
    }
  }

  private static void endpoints(ObjectNode ep, Errors errs) {
    List<ObjectNode> subsets = Json.objects(ep, "subsets");
    for (int i = 0; i < subsets.size(); i++) {
      String p = "subsets[" + i + "]";
      ObjectNode s = subsets.get(i);
      if (s.path("addresses").isEmpty() && s.path("notReadyAddresses").isEmpty()) {
        errs.required(p, "must specify `addresses` or `notReadyAddresses`");
      }
      for (String list : List.of("addresses", "notReadyAddresses")) {
        List<ObjectNode> addrs = Json.objects(s, list);
        for (int j = 0; j < addrs.size(); j++) {
          String ip = Json.textOr(addrs.get(j), "ip");
          if (!IpAddresses.isIp(ip)) {
            errs.invalid(p + "." + list + "[" + j + "].ip", ip, "must be a valid IP address");
          }
        }
      }
      List<ObjectNode> ports = Json.objects(s, "ports");
      for (int j = 0; j < ports.size(); j++) {
        String pp = p + ".ports[" + j + "]";
        ContainerValidation.portNumber(ports.get(j).path("port").asLong(0), pp + ".port", errs);
        ContainerValidation.protocol(ports.get(j), pp + ".protocol", errs);
        if (ports.size() > 1 && Json.textOr(ports.get(j), "name").isEmpty()) {
          errs.required(pp + ".name");
        }
      }
    }
  }

  private static void endpointSlice(ObjectNode slice, Errors errs) {
    String type = Json.textOr(slice, "addressType");
    if (type.isEmpty()) {
      errs.required("addressType");
    } else if (!ADDRESS_TYPES.contains(type)) {
      errs.notSupported("addressType", type, ADDRESS_TYPES);
    }
    List<ObjectNode> endpoints = Json.objects(slice, "endpoints");
    for (int i = 0; i < endpoints.size(); i++) {
      String p = "endpoints[" + i + "].addresses";
      List<String> addrs = Json.strings(endpoints.get(i), "addresses");
      if (addrs.isEmpty()) {
        errs.required(p, "must contain at least 1 address");
      } else if (addrs.size() > 100) {
        errs.tooMany(p, addrs.size(), 100);
      }
      for (int j = 0; j < addrs.size(); j++) {
        String a = addrs.get(j);
        boolean ok =
            switch (type) {
              case "IPv4" -> IpAddresses.isIpv4(a);
              case "IPv6" -> a.contains(":") && IpAddresses.isIp(a);
              case "FQDN" -> Names.dns1123Subdomain(a).isEmpty();
              default -> true;
            };
        if (!ok) {
          errs.invalid(p + "[" + j + "]", a, "must be a valid " + type + " address");
        }
      }
    }
    List<ObjectNode> ports = Json.objects(slice, "ports");
    for (int i = 0; i < ports.size(); i++) {
      ObjectNode port = ports.get(i);
      if (port.has("port")) {
        ContainerValidation.portNumber(port.path("port").asLong(0), "ports[" + i + "].port", errs);
      }
      String protocol = Json.text(port, "protocol");
      if (protocol != null && !ContainerValidation.PROTOCOLS.contains(protocol)) {
        errs.notSupported("ports[" + i + "].protocol", protocol, ContainerValidation.PROTOCOLS);
      }
    }
  }

  private static void ingress(ObjectNode ingress, Errors errs) {
    ObjectNode spec = Json.object(ingress, "spec");
    ObjectNode dflt = Json.object(spec, "defaultBackend");
    List<ObjectNode> rules = Json.objects(spec, "rules");
    if (dflt == null && rules.isEmpty()) {
      errs.invalid("spec.rules", "[]", "either `defaultBackend` or `rules` must be specified");
    }
    if (dflt != null) {
      backend(dflt, "spec.defaultBackend", errs);
    }
    for (int i = 0; i < rules.size(); i++) {
      ObjectNode r = rules.get(i);
      String p = "spec.rules[" + i + "]";
      String host = Json.textOr(r, "host");
      if (!host.isEmpty()) {
        String h = host.startsWith("*.") ? host.substring(2) : host;
        errs.invalidEach(p + ".host", host, Names.dns1123Subdomain(h));
      }
      List<ObjectNode> paths = Json.objects(Json.object(r, "http"), "paths");
      if (r.has("http") && paths.isEmpty()) {
        errs.required(p + ".http.paths");
      }
      for (int j = 0; j < paths.size(); j++) {
        String pp = p + ".http.paths[" + j + "]";
        ObjectNode path = paths.get(j);
        String pathType = Json.textOr(path, "pathType");
        if (pathType.isEmpty()) {
          errs.required(pp + ".pathType", "pathType must be specified");
        } else if (!PATH_TYPES.contains(pathType)) {
          errs.notSupported(pp + ".pathType", pathType, PATH_TYPES);
        }
        String value = Json.textOr(path, "path");
        if (!pathType.equals("ImplementationSpecific") && !value.startsWith("/")) {
          errs.invalid(pp + ".path", value, "must be an absolute path");
        }
        ObjectNode backend = Json.object(path, "backend");
        if (backend == null) {
          errs.required(pp + ".backend");
        } else {
          backend(backend, pp + ".backend", errs);
        }
      }
    }
  }

  private static void backend(ObjectNode backend, String path, Errors errs) {
    ObjectNode service = Json.object(backend, "service");
    ObjectNode resource = Json.object(backend, "resource");
    if (service == null && resource == null) {
      errs.invalid(path, "", "one backend (service or resource) must be specified");
      return;
    }
    if (service != null && resource != null) {
      errs.invalid(path, "", "cannot set both resource and service backends");
      return;
    }
    if (service != null) {
      String name = Json.textOr(service, "name");
      errs.invalidEach(path + ".service.name", name, Names.dns1035Label(name));
      ObjectNode port = Json.object(service, "port");
      boolean hasName = !Json.textOr(port, "name").isEmpty();
      boolean hasNumber = port != null && port.path("number").asLong(0) != 0;
      if (hasName == hasNumber) {
        errs.invalid(
            path + ".service.port", String.valueOf(port), "port name or number is required");
      } else if (hasNumber) {
        ContainerValidation.portNumber(
            port.path("number").asLong(), path + ".service.port.number", errs);
      }
    }
  }

  private static void networkPolicy(ObjectNode np, Errors errs) {
    ObjectNode spec = Json.object(np, "spec");
    if (spec == null || !spec.has("podSelector")) {
      errs.required("spec.podSelector");
    } else {
      Selectors.validate(Json.object(spec, "podSelector"), "spec.podSelector", errs);
    }
    List<String> types = Json.strings(spec, "policyTypes");
    for (int i = 0; i < types.size(); i++) {
      if (!POLICY_TYPES.contains(types.get(i))) {
        errs.notSupported("spec.policyTypes[" + i + "]", types.get(i), POLICY_TYPES);
      }
    }
    for (String dir : List.of("ingress", "egress")) {
      String peers = dir.equals("ingress") ? "from" : "to";
      List<ObjectNode> rules = Json.objects(spec, dir);
      for (int i = 0; i < rules.size(); i++) {
        String p = "spec." + dir + "[" + i + "]";
        List<ObjectNode> ports = Json.objects(rules.get(i), "ports");
        for (int j = 0; j < ports.size(); j++) {
          ObjectNode port = ports.get(j);
          String protocol = Json.text(port, "protocol");
          if (protocol != null && !ContainerValidation.PROTOCOLS.contains(protocol)) {
            errs.notSupported(
                p + ".ports[" + j + "].protocol", protocol, ContainerValidation.PROTOCOLS);
          }
          if (port.has("port")) {
            ContainerValidation.targetPort(port.get("port"), p + ".ports[" + j + "].port", errs);
          }
        }
        List<ObjectNode> from = Json.objects(rules.get(i), peers);
        for (int j = 0; j < from.size(); j++) {
          peer(from.get(j), p + "." + peers + "[" + j + "]", errs);
        }
      }
    }
  }

  private static void peer(ObjectNode peer, String path, Errors errs) {
    ObjectNode ipBlock = Json.object(peer, "ipBlock");
    int set =
        (peer.has("podSelector") || peer.has("namespaceSelector") ? 1 : 0)
            + (ipBlock != null ? 1 : 0);
    if (set == 0) {
      errs.required(path, "must specify a peer");
    } else if (set > 1) {
      errs.forbidden(path, "may not specify both podSelector/namespaceSelector and ipBlock");
    }
    Selectors.validate(Json.object(peer, "podSelector"), path + ".podSelector", errs);
    Selectors.validate(Json.object(peer, "namespaceSelector"), path + ".namespaceSelector", errs);
    if (ipBlock != null) {
      String cidr = Json.textOr(ipBlock, "cidr");
      if (cidr.isEmpty()) {
        errs.required(path + ".ipBlock.cidr");
      } else if (!IpAddresses.isCidr(cidr)) {
        errs.invalid(
            path + ".ipBlock.cidr",
            cidr,
            "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)");
      }
    }
  }
}
