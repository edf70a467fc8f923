package io.flotilla.controllers.endpoints;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.flotilla.controllers.runtime.Pods;
import io.flotilla.controllers.runtime.Selectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What the Endpoints and EndpointSlice controllers share (upstream's {@code endpointutil}): which
 * pods back a Service, and the port each Service port reaches on each pod (numeric target ports as
 * they are, named ones looked up in the pod's container ports). Stateless.
 */
public final class ServicePods {
  private ServicePods() {}

  /** A resolved port of one pod: the Service port's name and protocol, the pod's number. */
  public record Port(String name, int port, String protocol, String appProtocol) {}

  /** Pods of {@code svc}'s namespace its selector matches (Services without one are skipped). */
  public static List<Pod> selected(Service svc, List<Pod> namespacePods) {
    Map<String, String> sel = svc.getSpec().getSelector();
    List<Pod> out = new ArrayList<>();
    if (sel == null || sel.isEmpty()) {
      return out;
    }
    for (Pod p : namespacePods) {
      if (Selectors.matches(sel, p.getMetadata().getLabels())) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * {@code ShouldPodBeInEndpoints}: has an IP, is not terminal, and is not being deleted unless
   * {@code includeTerminating}.
   */
  public static boolean belongs(Pod p, boolean includeTerminating) {
    if (p.getStatus() == null
        || p.getStatus().getPodIP() == null
        || p.getStatus().getPodIP().isEmpty()) {
      return false;
    }
    String phase = p.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return false;
    }
    return includeTerminating || p.getMetadata().getDeletionTimestamp() == null;
  }

  public static boolean ready(Pod p, Service svc) {
    return Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses()) || Pods.isReady(p);
  }

  /** The Service's ports as this pod serves them; ports whose name the pod lacks are left out. */
  public static List<Port> ports(Service svc, Pod p) {
    List<Port> out = new ArrayList<>();
    if (svc.getSpec().getPorts() == null) {
      return out;
    }
    for (ServicePort sp : svc.getSpec().getPorts()) {
      String protocol = Objects.requireNonNullElse(sp.getProtocol(), "TCP");
      OptionalInt n = resolve(sp.getTargetPort(), sp.getPort(), protocol, p);
      if (n.isPresent()) {
        out.add(
            new Port(
                sp.getName() == null ? "" : sp.getName(),
                n.getAsInt(),
                protocol,
                sp.getAppProtocol()));
      }
    }
    return out;
  }

  /** {@code podutil.FindPort}: a number is itself; a name is looked up in the containers. */
  static OptionalInt resolve(IntOrString target, int servicePort, String protocol, Pod p) {
    if (target == null) {
      return OptionalInt.of(servicePort);
    }
    if (target.getIntVal() != null) {
      return OptionalInt.of(target.getIntVal() == 0 ? servicePort : target.getIntVal());
    }
    String name = target.getStrVal();
    if (name != null && name.matches("[0-9]+")) {
      return OptionalInt.of(Integer.parseInt(name));
    }
    for (Container c : p.getSpec().getContainers()) {
      for (ContainerPort cp : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
        if (Objects.equals(name, cp.getName())
            && protocol.equals(Objects.requireNonNullElse(cp.getProtocol(), "TCP"))) {
          return OptionalInt.of(cp.getContainerPort());
        }
      }
    }
    return OptionalInt.empty();
  }

  /** The hostname a pod publishes for this Service (hostname set and subdomain = service name). */
  public static String hostname(Pod p, Service svc) {
    String h = p.getSpec().getHostname();
    if (h != null
        && !h.isEmpty()
        && svc.getMetadata().getName().equals(p.getSpec().getSubdomain())) {
      return h;
    }
    return null;
  }
}
