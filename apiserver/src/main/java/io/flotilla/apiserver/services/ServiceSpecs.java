package io.flotilla.apiserver.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.ResourceType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a Service's spec says about allocation, and upstream's rules for keeping or dropping
 * allocated values across an update. Stateless.
 */
public final class ServiceSpecs {
  private ServiceSpecs() {}

  /** Whether a resource is the core Service kind. */
  public static boolean isService(ResourceType type) {
    return type.group().isEmpty() && type.kind().equals("Service");
  }

  static String type(JsonNode svc) {
    return svc.path("spec").path("type").asText("ClusterIP");
  }

  static String clusterIp(JsonNode svc) {
    return svc.path("spec").path("clusterIP").asText("");
  }

  /** Every type but ExternalName gets a cluster IP, unless it is headless. */
  static boolean needsClusterIp(JsonNode svc) {
    return !type(svc).equals("ExternalName") && !clusterIp(svc).equals("None");
  }

  /** Types whose ports may carry node ports. */
  static boolean mayHaveNodePorts(JsonNode svc) {
    String t = type(svc);
    return t.equals("NodePort") || t.equals("LoadBalancer");
  }

  /** Whether ports without a node port get one allocated. */
  static boolean needsNodePorts(JsonNode svc) {
    String t = type(svc);
    return t.equals("NodePort")
        || (t.equals("LoadBalancer")
            && svc.path("spec").path("allocateLoadBalancerNodePorts").asBoolean(true));
  }

  /** The node ports a Service's ports carry, in order, without repeats. */
  static Set<Long> nodePorts(JsonNode svc) {
    Set<Long> out = new LinkedHashSet<>();
    for (JsonNode p : svc.path("spec").path("ports")) {
      long np = p.path("nodePort").asLong(0);
      if (np != 0) {
        out.add(np);
      }
    }
    return out;
  }

  /**
   * Makes clusterIP and clusterIPs agree when the client set only one of them: the first of
   * clusterIPs is the cluster IP.
   */
  public static void normalize(ObjectNode svc) {
    if (!(svc.get("spec") instanceof ObjectNode spec)) {
      return;
    }
    String ip = spec.path("clusterIP").asText("");
    JsonNode ips = spec.get("clusterIPs");
    boolean noIps = ips == null || ips.isNull() || ips.isEmpty();
    if (!ip.isEmpty() && noIps) {
      spec.putArray("clusterIPs").add(ip);
    } else if (ip.isEmpty() && !noIps) {
      spec.put("clusterIP", ips.get(0).asText(""));
    }
  }

  /**
   * Before an update is defaulted and validated: keeps what was allocated when the client left it
   * out (a re-applied manifest has no clusterIP or nodePorts), and drops what the new type no
   * longer takes when the client left it as it was (a patch that only changes the type).
   */
  public static void prepareUpdate(ObjectNode old, ObjectNode next) {
    if (!(next.get("spec") instanceof ObjectNode spec)) {
      return;
    }
    JsonNode oldSpec = old.path("spec");
    if (needsClusterIp(old) && needsClusterIp(next)) {
      if (spec.path("clusterIP").asText("").isEmpty()) {
        spec.set("clusterIP", oldSpec.path("clusterIP").deepCopy());
      }
      JsonNode ips = spec.get("clusterIPs");
      if ((ips == null || ips.isNull() || ips.isEmpty()) && oldSpec.has("clusterIPs")) {
        spec.set("clusterIPs", oldSpec.get("clusterIPs").deepCopy());
      }
    }
    if (mayHaveNodePorts(old) && needsNodePorts(next)) {
      keepNodePorts(old, spec);
    }
    if (type(next).equals("ExternalName") && !type(old).equals("ExternalName")) {
      dropUnchanged(
          oldSpec, spec, List.of("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"));
    }
    if (mayHaveNodePorts(old) && !mayHaveNodePorts(next)) {
      if (samePorts(oldSpec, spec)) {
        for (JsonNode p : spec.path("ports")) {
          ((ObjectNode) p).remove("nodePort");
        }
      }
      dropUnchanged(oldSpec, spec, List.of("externalTrafficPolicy", "healthCheckNodePort"));
    }
    if (type(old).equals("LoadBalancer") && !type(next).equals("LoadBalancer")) {
      dropUnchanged(
          oldSpec,
          spec,
          List.of("allocateLoadBalancerNodePorts", "loadBalancerClass", "loadBalancerIP"));
    }
    normalize(next);
  }

  /** Removes the fields a type change leaves behind, unless the client changed them. */
  private static void dropUnchanged(JsonNode oldSpec, ObjectNode spec, List<String> fields) {
    for (String f : fields) {
      if (Objects.equals(spec.get(f), oldSpec.get(f))) {
        spec.remove(f);
      }
    }
  }

  /** Ports without a node port get the one the old port of that name had, if still unused. */
  private static void keepNodePorts(ObjectNode old, ObjectNode spec) {
    Set<Long> used = nodePorts(wrap(spec));
    for (JsonNode p : spec.path("ports")) {
      if (p.path("nodePort").asLong(0) != 0) {
        continue;
      }
      for (JsonNode o : old.path("spec").path("ports")) {
        long np = o.path("nodePort").asLong(0);
        if (np != 0
            && o.path("name").asText("").equals(p.path("name").asText(""))
            && !used.contains(np)) {
          ((ObjectNode) p).put("nodePort", np);
          used.add(np);
          break;
        }
      }
    }
  }

  private static JsonNode wrap(ObjectNode spec) {
    ObjectNode svc = spec.objectNode();
    svc.set("spec", spec);
    return svc;
  }

  /** Whether two specs list the same ports (node ports included). */
  private static boolean samePorts(JsonNode a, JsonNode b) {
    return Objects.equals(a.get("ports"), b.get("ports"));
  }

  /** Sets the cluster IP, clusterIPs, and the single IPv4 family it implies. */
  static void setClusterIp(ObjectNode svc, String ip) {
    ObjectNode spec = svc.with("spec");
    spec.put("clusterIP", ip);
    ArrayNode ips = spec.putArray("clusterIPs");
    ips.add(ip);
    if (!spec.has("ipFamilyPolicy")) {
      spec.put("ipFamilyPolicy", "SingleStack");
    }
    spec.putArray("ipFamilies").add("IPv4");
  }

  /** The ports of a spec, as object nodes. */
  static List<ObjectNode> ports(JsonNode svc) {
    List<ObjectNode> out = new ArrayList<>();
    for (JsonNode p : svc.path("spec").path("ports")) {
      if (p instanceof ObjectNode o) {
        out.add(o);
      }
    }
    return out;
  }
}
