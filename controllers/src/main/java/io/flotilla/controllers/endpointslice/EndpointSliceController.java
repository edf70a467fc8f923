package io.flotilla.controllers.endpointslice;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.flotilla.controllers.endpoints.EndpointsController;
import io.flotilla.controllers.endpoints.ServicePods;
import io.flotilla.controllers.runtime.Controller;
import io.flotilla.controllers.runtime.ControllerContext;
import io.flotilla.controllers.runtime.Keys;
import io.flotilla.controllers.runtime.Ownership;
import io.flotilla.controllers.runtime.Reconciler;
import io.flotilla.controllers.runtime.Result;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The EndpointSlice controller (upstream's {@code endpointslice-controller}): for every Service
 * with a selector, slices labelled {@code kubernetes.io/service-name} and {@code
 * endpointslice.kubernetes.io/managed-by}, owned by the Service, one group of slices per distinct
 * set of ports, at most {@link #MAX_ENDPOINTS} endpoints each, with the ready/serving/terminating
 * conditions of each pod. Existing slices are refilled in place before new ones are made, and
 * slices left empty are deleted. Threading: see {@link Controller}.
 */
public final class EndpointSliceController implements Reconciler {
  public static final String NAME = "endpointslice";
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "endpointslice-controller.k8s.io";
  public static final int MAX_ENDPOINTS = 100;

  private final ControllerContext ctx;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<EndpointSlice> slices;

  private EndpointSliceController(ControllerContext ctx) {
    this.ctx = ctx;
    this.services = ctx.informers().forType(Service.class);
    this.pods = ctx.informers().forType(Pod.class);
    this.slices = ctx.informers().forType(EndpointSlice.class);
  }

  public static Controller create(ControllerContext ctx) {
    EndpointSliceController r = new EndpointSliceController(ctx);
    return Controller.builder(ctx, NAME, r)
        .watch(r.services)
        .watch(r.pods, p -> EndpointsController.servicesFor(r.services, p))
        .watch(
            r.slices,
            s ->
                s.getMetadata().getLabels() != null
                        && MANAGED_BY.equals(s.getMetadata().getLabels().get(MANAGED_BY_LABEL))
                        && s.getMetadata().getLabels().get(SERVICE_NAME_LABEL) != null
                    ? List.of(
                        Keys.of(
                            s.getMetadata().getNamespace(),
                            s.getMetadata().getLabels().get(SERVICE_NAME_LABEL)))
                    : List.of())
        .build();
  }

  @Override
  public Result reconcile(String key) {
    String ns = Keys.namespace(key);
    Service svc = services.getStore().getByKey(key);
    List<EndpointSlice> existing = new ArrayList<>();
    for (EndpointSlice s : slices.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns)) {
      Map<String, String> l = s.getMetadata().getLabels();
      if (l != null
          && MANAGED_BY.equals(l.get(MANAGED_BY_LABEL))
          && Keys.name(key).equals(l.get(SERVICE_NAME_LABEL))
          && s.getMetadata().getDeletionTimestamp() == null) {
        existing.add(s);
      }
    }
    existing.sort(Comparator.comparing(s -> s.getMetadata().getName()));
    if (svc == null
        || svc.getSpec().getSelector() == null
        || svc.getSpec().getSelector().isEmpty()) {
      existing.forEach(this::delete);
      return Result.done();
    }
    Map<List<EndpointPort>, List<Endpoint>> groups =
        desired(
            svc, ServicePods.selected(svc, pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns)));
    Map<String, String> labels =
        new HashMap<>(
            svc.getMetadata().getLabels() == null ? Map.of() : svc.getMetadata().getLabels());
    labels.put(SERVICE_NAME_LABEL, svc.getMetadata().getName());
    labels.put(MANAGED_BY_LABEL, MANAGED_BY);
    if ("None".equals(svc.getSpec().getClusterIP())) {
      labels.put("service.kubernetes.io/headless", "");
    }
    List<EndpointSlice> unused = new ArrayList<>(existing);
    for (var g : groups.entrySet()) {
      List<Endpoint> eps = g.getValue();
      for (int i = 0; i < Math.max(1, eps.size()); i += MAX_ENDPOINTS) {
        List<Endpoint> chunk =
            eps.subList(Math.min(i, eps.size()), Math.min(i + MAX_ENDPOINTS, eps.size()));
        EndpointSlice reuse =
            unused.stream()
                .filter(s -> EndpointsController.sameJson(s.getPorts(), g.getKey()))
                .findFirst()
                .orElse(unused.stream().findFirst().orElse(null));
        if (reuse != null) {
          unused.remove(reuse);
          if (!EndpointsController.sameJson(reuse.getEndpoints(), chunk)
              || !EndpointsController.sameJson(reuse.getPorts(), g.getKey())
              || !labels.equals(reuse.getMetadata().getLabels())) {
            EndpointSlice next =
                new EndpointSliceBuilder(reuse)
                    .editMetadata()
                    .withLabels(labels)
                    .endMetadata()
                    .withEndpoints(chunk)
                    .withPorts(g.getKey())
                    .build();
            ctx.client().discovery().v1().endpointSlices().inNamespace(ns).resource(next).update();
          }
        } else {
          EndpointSlice s =
              new EndpointSliceBuilder()
                  .withNewMetadata()
                  .withGenerateName(svc.getMetadata().getName() + "-")
                  .withNamespace(ns)
                  .withLabels(labels)
                  .withOwnerReferences(Ownership.controllerRef(svc, "v1", "Service"))
                  .endMetadata()
                  .withAddressType(addressType(chunk))
                  .withEndpoints(chunk)
                  .withPorts(g.getKey())
                  .build();
          ctx.client().discovery().v1().endpointSlices().inNamespace(ns).resource(s).create();
        }
      }
    }
    unused.forEach(this::delete);
    return Result.done();
  }

  private static String addressType(List<Endpoint> eps) {
    return eps.stream().anyMatch(e -> e.getAddresses().getFirst().contains(":")) ? "IPv6" : "IPv4";
  }

  private void delete(EndpointSlice s) {
    try {
      ctx.client()
          .discovery()
          .v1()
          .endpointSlices()
          .inNamespace(s.getMetadata().getNamespace())
          .withName(s.getMetadata().getName())
          .delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** Endpoints grouped by their ports; with no pods, one empty group with the Service's ports. */
  static Map<List<EndpointPort>, List<Endpoint>> desired(Service svc, List<Pod> selected) {
    Map<List<EndpointPort>, List<Endpoint>> groups = new LinkedHashMap<>();
    for (Pod p : selected) {
      if (!ServicePods.belongs(p, true)) {
        continue;
      }
      List<EndpointPort> ports =
          ServicePods.ports(svc, p).stream()
              .sorted(
                  Comparator.comparing(ServicePods.Port::name)
                      .thenComparingInt(ServicePods.Port::port))
              .map(
                  x ->
                      new EndpointPortBuilder()
                          .withName(x.name())
                          .withPort(x.port())
                          .withProtocol(x.protocol())
                          .withAppProtocol(x.appProtocol())
                          .build())
              .toList();
      boolean terminating = p.getMetadata().getDeletionTimestamp() != null;
      boolean serving = ServicePods.ready(p, svc);
      Endpoint e =
          new EndpointBuilder()
              .withAddresses(p.getStatus().getPodIP())
              .withNewConditions()
              .withReady(serving && !terminating)
              .withServing(serving)
              .withTerminating(terminating)
              .endConditions()
              .withHostname(ServicePods.hostname(p, svc))
              .withNodeName(p.getSpec().getNodeName())
              .withNewTargetRef()
              .withKind("Pod")
              .withNamespace(p.getMetadata().getNamespace())
              .withName(p.getMetadata().getName())
              .withUid(p.getMetadata().getUid())
              .endTargetRef()
              .build();
      groups.computeIfAbsent(ports, k -> new ArrayList<>()).add(e);
    }
    groups
        .values()
        .forEach(
            l ->
                l.sort(
                    Comparator.comparing((Endpoint e) -> e.getAddresses().getFirst())
                        .thenComparing(e -> e.getTargetRef().getName())));
    if (groups.isEmpty()) {
      groups.put(List.of(), List.of());
    }
    return groups;
  }
}
