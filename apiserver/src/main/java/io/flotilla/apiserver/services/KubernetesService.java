package io.flotilla.apiserver.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.ResourceType;
import io.flotilla.apiserver.registry.ObjectCodec;
import io.flotilla.apiserver.rest.ObjectMetaRules;
import io.flotilla.store.Store;
import io.flotilla.store.Txn;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code default/kubernetes} Service and its Endpoints, which upstream's apiserver keeps so
 * that pods reach the API at the first address of the service range: created at start-up when
 * missing, with the ports and address brought up to date when they are not.
 */
public final class KubernetesService {
  private static final Logger log = LoggerFactory.getLogger(KubernetesService.class);
  static final String NAMESPACE = "default";
  static final String NAME = "kubernetes";

  private final Store store;
  private final ServiceAllocator alloc;
  private final ResourceType services;
  private final ResourceType endpoints;
  private final Clock clock;

  public KubernetesService(
      Store store,
      ServiceAllocator alloc,
      ResourceType services,
      ResourceType endpoints,
      Clock clock) {
    this.store = store;
    this.alloc = alloc;
    this.services = services;
    this.endpoints = endpoints;
    this.clock = clock;
  }

  /** Makes the Service and its Endpoints point at {@code address}:{@code port}. */
  public CompletableFuture<Void> ensure(String address, int port) {
    return ensureService(port).thenCompose(v -> ensureEndpoints(address, port));
  }

  private CompletableFuture<Void> ensureService(int port) {
    String key = ObjectCodec.key(services, NAMESPACE, NAME);
    return store
        .get(key)
        .thenCompose(
            kv -> {
              if (kv == null) {
                return createService(key, port);
              }
              ObjectNode cur = ObjectCodec.decode(kv);
              ObjectNode next = cur.deepCopy();
              next.with("spec").set("ports", ports(port));
              if (next.equals(cur)) {
                return CompletableFuture.completedFuture(null);
              }
              // Losing this compare means another apiserver reconciled it just now.
              return store
                  .txn(Txn.update(key, ObjectCodec.encode(next), kv.modRevision()))
                  .thenAccept(r -> {});
            });
  }

  private CompletableFuture<Void> createService(String key, int port) {
    ObjectNode svc = object("Service", "v1");
    ObjectNode meta = ObjectMetaRules.meta(svc);
    meta.putObject("labels").put("component", "apiserver").put("provider", "kubernetes");
    ObjectNode spec = svc.putObject("spec");
    spec.put("type", "ClusterIP").put("sessionAffinity", "None");
    spec.set("ports", ports(port));
    String ip = alloc.cidr().first();
    ServiceSpecs.setClusterIp(svc, ip);
    services.behavior().applyDefaults(svc);
    Owner owner = Owner.of(svc, clock.instant());
    AllocationTable ips = alloc.ipTable();
    return ips.claim(ip, owner)
        .thenCompose(
            claimed -> {
              if (!claimed) {
                log.warn(
                    "cannot create the kubernetes service: {} is already allocated to another"
                        + " service",
                    ip);
                return CompletableFuture.completedFuture(null);
              }
              return store
                  .txn(Txn.create(key, ObjectCodec.encode(svc)))
                  .thenCompose(
                      r ->
                          r.succeeded()
                              ? CompletableFuture.completedFuture(null)
                              : ips.release(ip, owner.uid()).thenAccept(x -> {}));
            });
  }

  private CompletableFuture<Void> ensureEndpoints(String address, int port) {
    String key = ObjectCodec.key(endpoints, NAMESPACE, NAME);
    ArrayNode subsets = JsonNodeFactory.instance.arrayNode();
    ObjectNode subset = subsets.addObject();
    subset.putArray("addresses").addObject().put("ip", address);
    subset
        .putArray("ports")
        .addObject()
        .put("name", "https")
        .put("port", port)
        .put("protocol", "TCP");
    return store
        .get(key)
        .thenCompose(
            kv -> {
              if (kv == null) {
                ObjectNode ep = object("Endpoints", "v1");
                ObjectMetaRules.meta(ep)
                    .putObject("labels")
                    .put("endpointslice.kubernetes.io/skip-mirror", "true");
                ep.set("subsets", subsets);
                return store.txn(Txn.create(key, ObjectCodec.encode(ep))).thenAccept(r -> {});
              }
              ObjectNode cur = ObjectCodec.decode(kv);
              if (Objects.equals(cur.get("subsets"), subsets)) {
                return CompletableFuture.completedFuture(null);
              }
              cur.set("subsets", subsets);
              return store
                  .txn(Txn.update(key, ObjectCodec.encode(cur), kv.modRevision()))
                  .thenAccept(r -> {});
            });
  }

  private static JsonNode ports(int port) {
    ArrayNode ports = JsonNodeFactory.instance.arrayNode();
    ports
        .addObject()
        .put("name", "https")
        .put("protocol", "TCP")
        .put("port", 443)
        .put("targetPort", port);
    return ports;
  }

  private ObjectNode object(String kind, String apiVersion) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("apiVersion", apiVersion).put("kind", kind);
    ObjectNode meta = o.putObject("metadata");
    meta.put("name", NAME).put("namespace", NAMESPACE);
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("creationTimestamp", ObjectMetaRules.timestamp(clock.instant()));
    return o;
  }
}
