package io.flotilla.controllers.endpoints;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.flotilla.controllers.runtime.Controller;
import io.flotilla.controllers.runtime.ControllerContext;
import io.flotilla.controllers.runtime.Keys;
import io.flotilla.controllers.runtime.Reconciler;
import io.flotilla.controllers.runtime.Result;
import io.flotilla.controllers.runtime.Selectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Endpoints controller (upstream's {@code endpoint-controller}): for every Service with a
 * selector, an Endpoints object of the same name whose subsets list the selected pods' IPs (ready →
 * addresses, else notReadyAddresses, unless publishNotReadyAddresses) with the ports each pod
 * serves; pods serving the same ports share a subset. Services without a selector are left to their
 * users. Threading: see {@link Controller}; a pod change queues the Services of its namespace whose
 * selector matches the old or new labels.
 */
public final class EndpointsController implements Reconciler {
  public static final String NAME = "endpoints";

  private final ControllerContext ctx;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Endpoints> endpoints;

  private EndpointsController(ControllerContext ctx) {
    this.ctx = ctx;
    this.services = ctx.informers().forType(Service.class);
    this.pods = ctx.informers().forType(Pod.class);
    this.endpoints = ctx.informers().forType(Endpoints.class);
  }

  public static Controller create(ControllerContext ctx) {
    EndpointsController r = new EndpointsController(ctx);
    return Controller.builder(ctx, NAME, r)
        .watch(r.services)
        .watch(r.pods, p -> servicesFor(r.services, p))
        .watch(r.endpoints)
        .build();
  }

  /** Keys of the Services in the pod's namespace that select it. */
  public static List<String> servicesFor(SharedIndexInformer<Service> services, Pod p) {
    List<String> out = new ArrayList<>();
    for (Service s :
        services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, p.getMetadata().getNamespace())) {
      if (Selectors.matches(s.getSpec().getSelector(), p.getMetadata().getLabels())) {
        out.add(Keys.of(s));
      }
    }
    return out;
  }

  @Override
  public Result reconcile(String key) {
    Service svc = services.getStore().getByKey(key);
    Endpoints have = endpoints.getStore().getByKey(key);
    String ns = Keys.namespace(key);
    if (svc == null) {
      if (have != null) {
        try {
          ctx.client().endpoints().inNamespace(ns).withName(Keys.name(key)).delete();
        } catch (KubernetesClientException e) {
          if (e.getCode() != 404) {
            throw e;
          }
        }
      }
      return Result.done();
    }
    if (svc.getSpec().getSelector() == null || svc.getSpec().getSelector().isEmpty()) {
      return Result.done();
    }
    List<EndpointSubset> subsets =
        subsets(
            svc, ServicePods.selected(svc, pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns)));
    Map<String, String> labels =
        new HashMap<>(
            svc.getMetadata().getLabels() == null ? Map.of() : svc.getMetadata().getLabels());
    if ("None".equals(svc.getSpec().getClusterIP())) {
      labels.put("service.kubernetes.io/headless", "");
    }
    if (have != null
        && Objects.equals(have.getSubsets(), subsets)
        && Objects.equals(
            have.getMetadata().getLabels() == null ? Map.of() : have.getMetadata().getLabels(),
            labels)) {
      return Result.done();
    }
    if (have == null) {
      Endpoints e =
          new EndpointsBuilder()
              .withNewMetadata()
              .withName(svc.getMetadata().getName())
              .withNamespace(ns)
              .withLabels(labels)
              .endMetadata()
              .withSubsets(subsets)
              .build();
      try {
        ctx.client().endpoints().inNamespace(ns).resource(e).create();
      } catch (KubernetesClientException ex) {
        if (ex.getCode() != 409) {
          throw ex;
        }
        return Result.requeue();
      }
    } else {
      Endpoints e =
          new EndpointsBuilder(have)
              .editMetadata()
              .withLabels(labels)
              .endMetadata()
              .withSubsets(subsets)
              .build();
      ctx.client().endpoints().inNamespace(ns).resource(e).update();
    }
    return Result.done();
  }

  /** Equal as the API would store them (the cache fills absent lists with empty ones). */
  public static boolean sameJson(Object a, Object b) {
    var m = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper();
    return m.valueToTree(a == null ? List.of() : a)
        .equals(m.valueToTree(b == null ? List.of() : b));
  }

  /** Addresses grouped by the ports they serve, sorted so equal inputs give equal subsets. */
  static List<EndpointSubset> subsets(Service svc, List<Pod> selected) {
    boolean publish = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses());
    Map<List<ServicePods.Port>, List<EndpointAddress>[]> groups = new LinkedHashMap<>();
    boolean headlessNoPorts =
        (svc.getSpec().getPorts() == null || svc.getSpec().getPorts().isEmpty())
            && "None".equals(svc.getSpec().getClusterIP());
    for (Pod p : selected) {
      if (!ServicePods.belongs(p, publish)) {
        continue;
      }
      List<ServicePods.Port> ports =
          ServicePods.ports(svc, p).stream()
              .sorted(
                  Comparator.comparing(ServicePods.Port::name)
                      .thenComparingInt(ServicePods.Port::port))
              .toList();
      if (ports.isEmpty() && !headlessNoPorts) {
        continue;
      }
      EndpointAddress a =
          new EndpointAddressBuilder()
              .withIp(p.getStatus().getPodIP())
              .withNodeName(p.getSpec().getNodeName())
              .withHostname(ServicePods.hostname(p, svc))
              .withNewTargetRef()
              .withKind("Pod")
              .withNamespace(p.getMetadata().getNamespace())
              .withName(p.getMetadata().getName())
              .withUid(p.getMetadata().getUid())
              .endTargetRef()
              .build();
      @SuppressWarnings("unchecked")
      List<EndpointAddress>[] g =
          groups.computeIfAbsent(ports, k -> new List[] {new ArrayList<>(), new ArrayList<>()});
      g[ServicePods.ready(p, svc) ? 0 : 1].add(a);
    }
    List<EndpointSubset> out = new ArrayList<>();
    for (var e : groups.entrySet()) {
      List<EndpointPort> ports =
          e.getKey().stream()
              .map(
                  x ->
                      new EndpointPortBuilder()
                          .withName(x.name().isEmpty() ? null : x.name())
                          .withPort(x.port())
                          .withProtocol(x.protocol())
                          .withAppProtocol(x.appProtocol())
                          .build())
              .toList();
      Comparator<EndpointAddress> byIp =
          Comparator.comparing(EndpointAddress::getIp)
              .thenComparing(a -> a.getTargetRef().getName());
      List<EndpointAddress> ready = e.getValue()[0].stream().sorted(byIp).toList();
      List<EndpointAddress> notReady = e.getValue()[1].stream().sorted(byIp).toList();
      out.add(
          new io.fabric8.kubernetes.api.model.EndpointSubsetBuilder()
              .withAddresses(ready)
              .withNotReadyAddresses(notReady)
              .withPorts(ports)
              .build());
    }
    out.sort(Comparator.comparing(s -> s.getPorts().toString()));
    return out;
  }
}
