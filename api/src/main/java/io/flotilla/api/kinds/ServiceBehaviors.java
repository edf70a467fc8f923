package io.flotilla.api.kinds;

import static io.flotilla.api.kinds.Cells.column;
import static io.flotilla.api.kinds.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.TableColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Services and the kinds that route to them: Endpoints, EndpointSlices, Ingresses, policies. */
public final class ServiceBehaviors {
  private ServiceBehaviors() {}

  public static TableBehavior service() {
    List<TableColumn> columns =
        List.of(
            Cells.NAME,
            column("Type", "How the service is exposed"),
            column("Cluster-IP", "The service's cluster IP"),
            column("External-IP", "Addresses the service is reachable at from outside"),
            column("Port(s)", "Service ports, with node ports"),
            Cells.AGE,
            Cells.wide("Selector", "Labels of the pods the service routes to"));
    return TableBehavior.of(
            columns,
            (o, now) ->
                Cells.row(
                    Cells.name(o),
                    text(o, "spec.type"),
                    clusterIp(o),
                    externalIp(o),
                    Cells.orNone(ports(o.path("spec").path("ports"))),
                    Cells.age(o, now),
                    Cells.labels(o.path("spec").path("selector"))))
        .withSelectors(Cells.textSelectors(List.of("spec.clusterIP", "spec.type")));
  }

  private static String clusterIp(JsonNode svc) {
    JsonNode ips = svc.path("spec").path("clusterIPs");
    if (ips.size() > 0) {
      return ips.get(0).asText();
    }
    return Cells.orNone(text(svc, "spec.clusterIP"));
  }

  static String externalIp(JsonNode svc) {
    List<String> external = new ArrayList<>();
    svc.path("spec").path("externalIPs").forEach(ip -> external.add(ip.asText()));
    return switch (text(svc, "spec.type")) {
      case "ClusterIP", "NodePort" -> Cells.orNone(String.join(",", external));
      case "LoadBalancer" -> {
        List<String> all = new ArrayList<>(loadBalancerAddresses(svc.path("status")));
        all.addAll(external);
        yield all.isEmpty() ? "<pending>" : String.join(",", all);
      }
      case "ExternalName" -> text(svc, "spec.externalName");
      default -> "<unknown>";
    };
  }

  /** Load-balancer ingress points, IP else hostname, sorted and without duplicates. */
  static TreeSet<String> loadBalancerAddresses(JsonNode status) {
    TreeSet<String> out = new TreeSet<>();
    for (JsonNode ing : status.path("loadBalancer").path("ingress")) {
      String ip = ing.path("ip").asText("");
      String host = ing.path("hostname").asText("");
      if (!ip.isEmpty()) {
        out.add(ip);
      } else if (!host.isEmpty()) {
        out.add(host);
      }
    }
    return out;
  }

  /** "80/TCP,443:30443/TCP": port, node port when set, protocol. */
  static String ports(JsonNode ports) {
    List<String> pieces = new ArrayList<>();
    for (JsonNode p : ports) {
      String protocol = p.path("protocol").asText("TCP");
      long nodePort = p.path("nodePort").asLong(0);
      long port = p.path("port").asLong(0);
      pieces.add(nodePort > 0 ? port + ":" + nodePort + "/" + protocol : port + "/" + protocol);
    }
    return String.join(",", pieces);
  }

  public static TableBehavior endpoints() {
    return TableBehavior.of(
            List.of(Cells.NAME, column("Endpoints", "Ready addresses with their ports"), Cells.AGE),
            (o, now) -> Cells.row(Cells.name(o), endpointList(o), Cells.age(o, now)))
        .withoutGeneration();
  }

  static String endpointList(JsonNode endpoints) {
    JsonNode subsets = endpoints.path("subsets");
    if (subsets.isEmpty()) {
      return "<none>";
    }
    List<String> list = new ArrayList<>();
    int count = 0;
    for (JsonNode subset : subsets) {
      JsonNode addresses = subset.path("addresses");
      if (subset.path("ports").isEmpty()) {
        // Headless services may have addresses without ports.
        count += addresses.size();
        addresses.forEach(a -> list.add(a.path("ip").asText()));
        continue;
      }
      for (JsonNode port : subset.path("ports")) {
        count += addresses.size();
        for (JsonNode a : addresses) {
          list.add(hostPort(a.path("ip").asText(), port.path("port").asLong(0)));
        }
      }
    }
    return Cells.firstFew(list, count, 3);
  }

  private static String hostPort(String ip, long port) {
    return ip.contains(":") ? "[" + ip + "]:" + port : ip + ":" + port;
  }

  public static TableBehavior endpointSlice() {
    List<TableColumn> columns =
        List.of(
            Cells.NAME,
            column("AddressType", "The type of the addresses: IPv4, IPv6 or FQDN"),
            column("Ports", "The ports of the slice"),
            column("Endpoints", "The addresses of the slice"),
            Cells.AGE);
    return TableBehavior.of(
            columns,
            (o, now) ->
                Cells.row(
                    Cells.name(o),
                    text(o, "addressType"),
                    slicePorts(o.path("ports")),
                    sliceAddresses(o.path("endpoints")),
                    Cells.age(o, now)))
        .withoutGeneration();
  }

  private static String slicePorts(JsonNode ports) {
    List<String> list = new ArrayList<>();
    for (JsonNode p : ports) {
      if (Cells.exists(p.path("port"))) {
        list.add(p.path("port").asText());
      } else if (Cells.exists(p.path("name"))) {
        list.add(p.path("name").asText());
      } else {
        list.add("*");
      }
    }
    return orUnset(Cells.firstFew(list, list.size(), 3));
  }

  private static String sliceAddresses(JsonNode endpoints) {
    List<String> list = new ArrayList<>();
    endpoints.forEach(e -> e.path("addresses").forEach(a -> list.add(a.asText())));
    return orUnset(Cells.firstFew(list, list.size(), 3));
  }

  private static String orUnset(String s) {
    return s.isEmpty() ? "<unset>" : s;
  }

  public static TableBehavior ingress() {
    List<TableColumn> columns =
        List.of(
            Cells.NAME,
            column("Class", "The IngressClass of the ingress"),
            column("Hosts", "Hosts the rules match"),
            column("Address", "Load-balancer addresses of the ingress"),
            column("Ports", "Ports the ingress listens on"),
            Cells.AGE);
    return TableBehavior.of(
        columns,
        (o, now) ->
            Cells.row(
                Cells.name(o),
                Cells.present(o, "spec.ingressClassName")
                    ? text(o, "spec.ingressClassName")
                    : "<none>",
                hosts(o.path("spec").path("rules")),
                String.join(",", loadBalancerAddresses(o.path("status"))),
                o.path("spec").path("tls").isEmpty() ? "80" : "80, 443",
                Cells.age(o, now)));
  }

  private static String hosts(JsonNode rules) {
    List<String> list = new ArrayList<>();
    boolean more = false;
    for (JsonNode r : rules) {
      // Only a rule seen after three hosts were listed counts as "more".
      more = more || list.size() == 3;
      if (!more && !r.path("host").asText("").isEmpty()) {
        list.add(r.path("host").asText());
      }
    }
    if (list.isEmpty()) {
      return "*";
    }
    String joined = String.join(",", list);
    return more ? joined + " + " + (rules.size() - 3) + " more..." : joined;
  }

  public static TableBehavior ingressClass() {
    List<TableColumn> columns =
        List.of(
            Cells.NAME,
            column("Controller", "The controller that implements the class"),
            column("Parameters", "The resource holding the class's parameters"),
            Cells.AGE);
    return TableBehavior.of(
        columns,
        (o, now) -> {
          JsonNode params = o.path("spec").path("parameters");
          String parameters = "<none>";
          if (Cells.exists(params)) {
            parameters = params.path("kind").asText("");
            if (Cells.exists(params.path("apiGroup"))) {
              parameters += "." + params.path("apiGroup").asText();
            }
            parameters += "/" + params.path("name").asText("");
          }
          return Cells.row(
              Cells.name(o), text(o, "spec.controller"), parameters, Cells.age(o, now));
        });
  }

  public static TableBehavior networkPolicy() {
    return TableBehavior.of(
        List.of(Cells.NAME, column("Pod-Selector", "Pods the policy applies to"), Cells.AGE),
        (o, now) ->
            Cells.row(
                Cells.name(o),
                Cells.formatSelector(o.path("spec").path("podSelector")),
                Cells.age(o, now)));
  }
}
