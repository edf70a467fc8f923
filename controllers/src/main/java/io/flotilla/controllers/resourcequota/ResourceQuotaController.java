package io.flotilla.controllers.resourcequota;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatus;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.flotilla.controllers.runtime.Controller;
import io.flotilla.controllers.runtime.ControllerContext;
import io.flotilla.controllers.runtime.Keys;
import io.flotilla.controllers.runtime.Reconciler;
import io.flotilla.controllers.runtime.Result;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The ResourceQuota controller (upstream's {@code resourcequota-controller}): {@code status.hard}
 * mirrors {@code spec.hard}; {@code status.used} holds, for each resource named there, the
 * namespace's object counts ({@code pods} — non-terminal ones —, {@code services}, {@code
 * configmaps}, {@code secrets}, {@code persistentvolumeclaims}, {@code services.nodeports}, {@code
 * services.loadbalancers}, {@code count/<resource>[.<group>]} for any kind) and the requests and
 * limits of its non-terminal pods ({@code requests.cpu}, {@code cpu}, {@code limits.memory} …) and
 * claims ({@code requests.storage}). Changes to pods, services, config maps, secrets and claims
 * queue their namespace's quotas; everything is recounted every {@link #RESYNC}.
 *
 * <p>Threading: see {@link Controller}.
 */
public final class ResourceQuotaController implements Reconciler {
  public static final String NAME = "resourcequota";

  /** Upstream's full recalculation period ({@code --resource-quota-sync-period}, 5 min). */
  public static final Duration RESYNC = Duration.ofMinutes(5);

  private final ControllerContext ctx;
  private final SharedIndexInformer<ResourceQuota> quotas;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<ConfigMap> configMaps;
  private final SharedIndexInformer<Secret> secrets;
  private final SharedIndexInformer<PersistentVolumeClaim> claims;

  /** Informers for {@code count/<resource>.<group>} kinds, made when a quota first names one. */
  private final java.util.Map<String, SharedIndexInformer<GenericKubernetesResource>> generic =
      new java.util.concurrent.ConcurrentHashMap<>();

  private volatile Controller controller;

  private ResourceQuotaController(ControllerContext ctx) {
    this.ctx = ctx;
    this.quotas = ctx.informers().forType(ResourceQuota.class);
    this.pods = ctx.informers().forType(Pod.class);
    this.services = ctx.informers().forType(Service.class);
    this.configMaps = ctx.informers().forType(ConfigMap.class);
    this.secrets = ctx.informers().forType(Secret.class);
    this.claims = ctx.informers().forType(PersistentVolumeClaim.class);
  }

  public static Controller create(ControllerContext ctx) {
    ResourceQuotaController r = new ResourceQuotaController(ctx);
    Controller.Builder b = Controller.builder(ctx, NAME, r).watch(r.quotas);
    for (SharedIndexInformer<? extends HasMetadata> i :
        List.of(r.pods, r.services, r.configMaps, r.secrets, r.claims)) {
      b.watch(i, r.quotasOf());
    }
    Controller c = b.build();
    r.controller = c;
    return c;
  }

  private <T extends HasMetadata> Function<T, java.util.Collection<String>> quotasOf() {
    return o ->
        quotas.getIndexer().byIndex(Cache.NAMESPACE_INDEX, o.getMetadata().getNamespace()).stream()
            .map(Keys::of)
            .toList();
  }

  @Override
  public Result reconcile(String key) {
    ResourceQuota q = quotas.getStore().getByKey(key);
    if (q == null || q.getSpec() == null || q.getSpec().getHard() == null) {
      return Result.done();
    }
    String ns = q.getMetadata().getNamespace();
    Map<String, String> used = new TreeMap<>();
    for (String resource : q.getSpec().getHard().keySet()) {
      String v = usage(ns, resource);
      if (v != null) {
        used.put(resource, v);
      }
    }
    ResourceQuotaStatus st =
        new ResourceQuotaStatus(new TreeMap<>(q.getSpec().getHard()), Usage.quantities(used));
    if (q.getStatus() == null
        || !same(q.getStatus().getHard(), st.getHard())
        || !same(q.getStatus().getUsed(), st.getUsed())) {
      ctx.client()
          .resourceQuotas()
          .inNamespace(ns)
          .resource(new ResourceQuotaBuilder(q).withStatus(st).build())
          .updateStatus();
    }
    return Result.requeueAfter(RESYNC);
  }

  private static boolean same(Map<String, Quantity> a, Map<String, Quantity> b) {
    if (a == null || b == null || a.size() != b.size()) {
      return a == b || (a == null ? b.isEmpty() : a.isEmpty() && b == null);
    }
    for (var e : a.entrySet()) {
      Quantity o = b.get(e.getKey());
      if (o == null || e.getValue().getNumericalAmount().compareTo(o.getNumericalAmount()) != 0) {
        return false;
      }
    }
    return true;
  }

  /** The used amount of one quota resource, or null for a resource this controller cannot count. */
  private String usage(String ns, String resource) {
    List<Pod> live =
        pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns).stream()
            .filter(p -> !terminal(p))
            .toList();
    switch (resource) {
      case "pods", "count/pods":
        return Integer.toString(live.size());
      case "services", "count/services":
        return count(services, ns);
      case "configmaps", "count/configmaps":
        return count(configMaps, ns);
      case "secrets", "count/secrets":
        return count(secrets, ns);
      case "persistentvolumeclaims", "count/persistentvolumeclaims":
        return count(claims, ns);
      case "services.nodeports":
        return Long.toString(
            services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns).stream()
                .filter(
                    s ->
                        "NodePort".equals(s.getSpec().getType())
                            || "LoadBalancer".equals(s.getSpec().getType()))
                .mapToLong(
                    s ->
                        s.getSpec().getPorts() == null
                            ? 0
                            : s.getSpec().getPorts().stream()
                                .filter(p -> p.getNodePort() != null)
                                .count())
                .sum());
      case "services.loadbalancers":
        return Long.toString(
            services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns).stream()
                .filter(s -> "LoadBalancer".equals(s.getSpec().getType()))
                .count());
      case "requests.storage":
        return Usage.format(
            "storage",
            claims.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns).stream()
                .map(
                    c ->
                        c.getSpec().getResources() == null
                                || c.getSpec().getResources().getRequests() == null
                                || c.getSpec().getResources().getRequests().get("storage") == null
                            ? BigDecimal.ZERO
                            : c.getSpec()
                                .getResources()
                                .getRequests()
                                .get("storage")
                                .getNumericalAmount())
                .reduce(BigDecimal.ZERO, BigDecimal::add));
      default:
        break;
    }
    if (resource.startsWith("count/")) {
      return countGeneric(ns, resource.substring("count/".length()));
    }
    String kind = resource.startsWith("limits.") ? "limits" : "requests";
    String name =
        resource.startsWith("limits.")
            ? resource.substring(7)
            : resource.startsWith("requests.") ? resource.substring(9) : resource;
    if (!List.of("cpu", "memory", "ephemeral-storage").contains(name)
        && !name.startsWith("hugepages-")
        && !name.contains("/")) {
      return null;
    }
    BigDecimal sum =
        live.stream().map(p -> Usage.pod(p, kind, name)).reduce(BigDecimal.ZERO, BigDecimal::add);
    return Usage.format(name, sum);
  }

  private static boolean terminal(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static String count(SharedIndexInformer<?> i, String ns) {
    return Integer.toString(i.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns).size());
  }

  /** {@code count/<resource>.<group>} by listing through the API (group "" is the core group). */
  private String countGeneric(String ns, String spec) {
    int dot = spec.indexOf('.');
    String resource = dot < 0 ? spec : spec.substring(0, dot);
    String group = dot < 0 ? "" : spec.substring(dot + 1);
    String version = group.isEmpty() ? "v1" : preferredVersion(group);
    if (version == null) {
      return "0";
    }
    ResourceDefinitionContext rdc =
        new ResourceDefinitionContext.Builder()
            .withGroup(group)
            .withVersion(version)
            .withPlural(resource)
            .withNamespaced(true)
            .build();
    // As upstream's quota monitor: watch the kind from now on, so changes requeue the quotas.
    SharedIndexInformer<GenericKubernetesResource> informer =
        generic.computeIfAbsent(
            group + "/" + resource,
            k -> {
              SharedIndexInformer<GenericKubernetesResource> i = ctx.informers().forResource(rdc);
              i.addEventHandler(
                  new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
                    @Override
                    public void onAdd(GenericKubernetesResource o) {
                      requeue(o);
                    }

                    @Override
                    public void onUpdate(
                        GenericKubernetesResource a, GenericKubernetesResource o) {}

                    @Override
                    public void onDelete(GenericKubernetesResource o, boolean unknown) {
                      requeue(o);
                    }
                  });
              return i;
            });
    if (informer.hasSynced()) {
      return Integer.toString(informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns).size());
    }
    GenericKubernetesResourceList l =
        ctx.client().genericKubernetesResources(rdc).inNamespace(ns).list();
    return Integer.toString(l.getItems().size());
  }

  private void requeue(HasMetadata o) {
    Controller c = controller;
    if (c != null) {
      quotasOf().apply(o).forEach(c::enqueue);
    }
  }

  private String preferredVersion(String group) {
    var g = ctx.client().getApiGroup(group);
    return g == null || g.getPreferredVersion() == null
        ? null
        : g.getPreferredVersion().getVersion();
  }
}
