package io.flotilla.apiserver.services;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.FieldError;
import io.flotilla.api.ResourceType;
import io.flotilla.apiserver.rest.StatusException;
import io.flotilla.store.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Cluster IPs and node ports for Services, as upstream's service registry hands them out: taken
 * before the Service is written, given back when that write fails, when an update stops using them
 * and when the Service is finally removed. Both spaces live in the Store ({@link AllocationTable}),
 * so allocations survive restarts and hold across apiservers sharing a store; {@link
 * AllocationRepair} frees what a crash left behind. A dry run checks requested values without
 * taking anything. Thread-safe and non-blocking.
 */
public final class ServiceAllocator {
  /** Where allocated cluster IPs are kept, one key per IP. */
  public static final String IP_PREFIX = "/registry/flotilla/serviceips/";

  /** Where allocated node ports are kept, one key per port. */
  public static final String PORT_PREFIX = "/registry/flotilla/servicenodeports/";

  private final ServiceCidr cidr;
  private final PortRange range;
  private final Clock clock;
  private final AllocationTable ips;
  private final AllocationTable ports;

  public ServiceAllocator(Store store, ServiceCidr cidr, PortRange range, Clock clock) {
    this.cidr = cidr;
    this.range = range;
    this.clock = clock;
    // Dynamic IPs skip the network address, the kubernetes Service's first address and broadcast.
    this.ips =
        new AllocationTable(
            store,
            IP_PREFIX,
            cidr.size() - 3,
            AllocationTable.staticBand(cidr.size(), 16, 256, 16),
            i -> cidr.address(i + 2));
    this.ports =
        new AllocationTable(
            store,
            PORT_PREFIX,
            range.size(),
            AllocationTable.staticBand(range.size(), 16, 128, 32),
            i -> Long.toString(range.first() + i));
  }

  public ServiceCidr cidr() {
    return cidr;
  }

  public PortRange portRange() {
    return range;
  }

  AllocationTable ipTable() {
    return ips;
  }

  AllocationTable portTable() {
    return ports;
  }

  /**
   * Allocates what {@code svc} needs (given {@code old}, null on create), runs {@code write}, then
   * gives back what the new object no longer uses when the write succeeded, or what was just taken
   * when it failed or completed with null (a lost compare, which the caller retries). Other kinds
   * go straight to {@code write}.
   */
  public <T> CompletableFuture<T> around(
      ResourceType type,
      ObjectNode svc,
      ObjectNode old,
      boolean dryRun,
      Supplier<CompletableFuture<T>> write) {
    if (!ServiceSpecs.isService(type)) {
      return write.get();
    }
    return allocate(type, svc, old, dryRun)
        .thenCompose(
            claims -> {
              CompletableFuture<T> w;
              try {
                w = write.get();
              } catch (RuntimeException e) {
                w = CompletableFuture.failedFuture(e);
              }
              return w.handle(
                      (r, e) -> {
                        if (e != null || r == null) {
                          return claims
                              .rollback()
                              .thenCompose(
                                  v ->
                                      e != null
                                          ? CompletableFuture.<T>failedFuture(unwrap(e))
                                          : CompletableFuture.<T>completedFuture(null));
                        }
                        return claims.commit().thenApply(v -> r);
                      })
                  .thenCompose(f -> f);
            });
  }

  /** Gives back everything a Service that has just been removed from the store held. */
  public CompletableFuture<Void> released(ResourceType type, ObjectNode svc) {
    if (!ServiceSpecs.isService(type)) {
      return CompletableFuture.completedFuture(null);
    }
    String uid = svc.path("metadata").path("uid").asText("");
    List<Held> held = new ArrayList<>();
    if (ServiceSpecs.needsClusterIp(svc) && !ServiceSpecs.clusterIp(svc).isEmpty()) {
      held.add(new Held(ips, ServiceSpecs.clusterIp(svc)));
    }
    for (long np : ServiceSpecs.nodePorts(svc)) {
      held.add(new Held(ports, Long.toString(np)));
    }
    return new Claims(List.of(), held, uid).commit();
  }

  private CompletableFuture<Claims> allocate(
      ResourceType type, ObjectNode svc, ObjectNode old, boolean dryRun) {
    Owner owner = Owner.of(svc, clock.instant());
    Allocation a = new Allocation(this, type, svc, owner, dryRun);
    List<Held> superseded = new ArrayList<>();
    String oldIp =
        old != null && ServiceSpecs.needsClusterIp(old) ? ServiceSpecs.clusterIp(old) : "";
    Set<Long> oldPorts = old == null ? Set.of() : ServiceSpecs.nodePorts(old);
    CompletableFuture<Void> steps =
        CompletableFuture.<Void>completedFuture(null).thenCompose(v -> a.clusterIp(oldIp));
    steps = steps.thenCompose(v -> a.nodePorts(oldPorts));
    return steps
        .handle(
            (v, e) -> {
              Claims taken = new Claims(a.claimed(), List.of(), owner.uid());
              if (e != null) {
                return taken
                    .rollback()
                    .thenCompose(x -> CompletableFuture.<Claims>failedFuture(unwrap(e)));
              }
              String ip = ServiceSpecs.needsClusterIp(svc) ? ServiceSpecs.clusterIp(svc) : "";
              if (!oldIp.isEmpty() && !oldIp.equals(ip)) {
                superseded.add(new Held(ips, oldIp));
              }
              Set<Long> now = ServiceSpecs.nodePorts(svc);
              for (long np : oldPorts) {
                if (!now.contains(np)) {
                  superseded.add(new Held(ports, Long.toString(np)));
                }
              }
              return CompletableFuture.completedFuture(
                  dryRun
                      ? new Claims(List.of(), List.of(), owner.uid())
                      : new Claims(a.claimed(), superseded, owner.uid()));
            })
        .thenCompose(f -> f);
  }

  static StatusException invalid(ResourceType type, ObjectNode svc, FieldError error) {
    return StatusException.invalid(
        type, svc.path("metadata").path("name").asText(""), List.of(error));
  }

  static StatusException full(String what) {
    return new StatusException(
        500,
        "InternalError",
        "Internal error occurred: failed to allocate a " + what + ": range is full",
        null);
  }

  static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  /** One item held in one table. */
  record Held(AllocationTable table, String item) {}

  /**
   * What an allocation took (to give back on failure) and what it replaced (to give back after).
   */
  record Claims(List<Held> claimed, List<Held> superseded, String uid) {
    CompletableFuture<Void> rollback() {
      return releaseAll(claimed);
    }

    CompletableFuture<Void> commit() {
      return releaseAll(superseded);
    }

    // A failed release is left for the repair pass: it must not fail the request that caused it.
    private CompletableFuture<Void> releaseAll(List<Held> items) {
      return CompletableFuture.allOf(
          items.stream()
              .map(h -> h.table().release(h.item(), uid).exceptionally(e -> false))
              .toArray(CompletableFuture[]::new));
    }
  }
}
