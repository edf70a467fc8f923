package io.flotilla.node.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The downward API: a pod's fieldRef paths and a container's resourceFieldRef, resolved as kubelet
 * does (labels and annotations as {@code k="v"} lines, resources rounded up in units of the
 * divisor, limits defaulting to the node's allocatable).
 */
public final class FieldPaths {
  private static final Pattern SUBSCRIPT =
      Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");

  private FieldPaths() {}

  /** What the pod's own addresses are at the time a container starts. */
  public record PodAddresses(String podIp, String hostIp) {}

  public static String field(Pod pod, String path, PodAddresses addr) {
    var meta = pod.getMetadata();
    Matcher m = SUBSCRIPT.matcher(path);
    if (m.matches()) {
      Map<String, String> map =
          m.group(1).equals("labels") ? meta.getLabels() : meta.getAnnotations();
      return map == null ? "" : map.getOrDefault(m.group(2), "");
    }
    return switch (path) {
      case "metadata.name" -> meta.getName();
      case "metadata.namespace" -> meta.getNamespace();
      case "metadata.uid" -> meta.getUid();
      case "metadata.labels" -> lines(meta.getLabels());
      case "metadata.annotations" -> lines(meta.getAnnotations());
      case "spec.nodeName" -> nz(pod.getSpec().getNodeName());
      case "spec.serviceAccountName" ->
          pod.getSpec().getServiceAccountName() == null
              ? "default"
              : pod.getSpec().getServiceAccountName();
      case "status.podIP", "status.podIPs" -> nz(addr.podIp());
      case "status.hostIP", "status.hostIPs" -> nz(addr.hostIp());
      default ->
          throw new ConfigError(
              "unsupported fieldPath \""
                  + path
                  + "\": use metadata.name, metadata.namespace, metadata.uid,"
                  + " metadata.labels['k'], metadata.annotations['k'], spec.nodeName,"
                  + " spec.serviceAccountName, status.podIP or status.hostIP");
    };
  }

  /** A resourceFieldRef: limits.cpu, requests.cpu, limits.memory, requests.memory, … */
  public static String resource(
      Pod pod, Container self, ResourceFieldSelector ref, Map<String, Quantity> allocatable) {
    Container c = self;
    if (ref.getContainerName() != null && !ref.getContainerName().isEmpty()) {
      c = find(pod, ref.getContainerName());
    }
    String res = ref.getResource();
    int dot = res.indexOf('.');
    if (dot < 0) {
      throw new ConfigError("unsupported resource \"" + res + "\": use e.g. limits.cpu");
    }
    String kind = res.substring(0, dot);
    String name = res.substring(dot + 1);
    Map<String, Quantity> set = null;
    if (c.getResources() != null) {
      set = kind.equals("limits") ? c.getResources().getLimits() : c.getResources().getRequests();
    }
    Quantity q = set == null ? null : set.get(name);
    if (q == null && kind.equals("limits")) {
      q = allocatable.get(name);
    }
    if (q == null) {
      return "0";
    }
    BigDecimal value = q.getNumericalAmount();
    BigDecimal divisor =
        ref.getDivisor() == null ? BigDecimal.ONE : ref.getDivisor().getNumericalAmount();
    if (divisor.signum() == 0) {
      divisor = BigDecimal.ONE;
    }
    return value.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
  }

  private static Container find(Pod pod, String name) {
    for (List<Container> cs : List.of(pod.getSpec().getContainers(), initList(pod))) {
      for (Container c : cs) {
        if (name.equals(c.getName())) {
          return c;
        }
      }
    }
    throw new ConfigError("resourceFieldRef names container \"" + name + "\", not in the pod");
  }

  private static List<Container> initList(Pod pod) {
    return pod.getSpec().getInitContainers() == null
        ? List.of()
        : pod.getSpec().getInitContainers();
  }

  private static String lines(Map<String, String> m) {
    if (m == null || m.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (var e : new TreeMap<>(m).entrySet()) {
      if (!sb.isEmpty()) {
        sb.append('\n');
      }
      sb.append(e.getKey()).append("=\"").append(escape(e.getValue())).append('"');
    }
    return sb.toString();
  }

  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\"");
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
