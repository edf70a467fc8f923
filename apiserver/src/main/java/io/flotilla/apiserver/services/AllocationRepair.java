package io.flotilla.apiserver.services;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.ResourceType;
import io.flotilla.apiserver.registry.ObjectCodec;
import io.flotilla.apiserver.services.AllocationTable.Entry;
import io.flotilla.store.KeyValue;
import io.flotilla.store.RangeRequest;
import io.flotilla.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the allocation tables in line with the Services in the store, as upstream's repair
 * controllers do: frees allocations no Service uses (left by a crash between allocating and
 * writing, or between removing a Service and freeing what it held) and records allocations that
 * stored Services use but the tables lack. An unused allocation younger than the grace period is
 * left alone, since its Service may still be on its way to the store (from this or another
 * apiserver). Run at start-up and then periodically.
 */
public final class AllocationRepair {
  private static final Logger log = LoggerFactory.getLogger(AllocationRepair.class);

  private final Store store;
  private final ServiceAllocator alloc;
  private final ResourceType services;
  private final Clock clock;
  private final Duration grace;

  public AllocationRepair(
      Store store, ServiceAllocator alloc, ResourceType services, Clock clock, Duration grace) {
    this.store = store;
    this.alloc = alloc;
    this.services = services;
    this.clock = clock;
    this.grace = grace;
  }

  /** What one pass changed. */
  public record Result(int freed, int restored) {}

  /** One pass over both tables. */
  public CompletableFuture<Result> run() {
    AtomicInteger freed = new AtomicInteger();
    AtomicInteger restored = new AtomicInteger();
    // Tables first, Services second: a Service written between the two reads has young
    // allocations, which the grace period protects.
    return alloc
        .ipTable()
        .list()
        .thenCombine(alloc.portTable().list(), (ips, ports) -> List.of(ips, ports))
        .thenCompose(
            tables ->
                listServices()
                    .thenCompose(
                        svcs ->
                            CompletableFuture.allOf(
                                repair(
                                    alloc.ipTable(), tables.get(0), ipUses(svcs), freed, restored),
                                repair(
                                    alloc.portTable(),
                                    tables.get(1),
                                    portUses(svcs),
                                    freed,
                                    restored))))
        .thenApply(
            v -> {
              Result r = new Result(freed.get(), restored.get());
              if (r.freed() > 0 || r.restored() > 0) {
                log.info(
                    "service allocation repair: freed {} leaked, recorded {} missing",
                    r.freed(),
                    r.restored());
              }
              return r;
            });
  }

  private CompletableFuture<List<ObjectNode>> listServices() {
    return store
        .range(RangeRequest.prefix(ObjectCodec.prefix(services, null)))
        .thenApply(
            r -> {
              List<ObjectNode> out = new ArrayList<>();
              for (KeyValue kv : r.kvs()) {
                out.add(ObjectCodec.decode(kv));
              }
              return out;
            });
  }

  /** Item → the Service using it, for cluster IPs inside the range. */
  private Map<String, ObjectNode> ipUses(List<ObjectNode> svcs) {
    Map<String, ObjectNode> uses = new HashMap<>();
    for (ObjectNode s : svcs) {
      String ip = ServiceSpecs.clusterIp(s);
      if (!ServiceSpecs.needsClusterIp(s) || ip.isEmpty()) {
        continue;
      }
      if (!alloc.cidr().contains(ip)) {
        log.warn("service {} has cluster IP {} outside {}", Owner.of(s, null), ip, alloc.cidr());
        continue;
      }
      uses.put(ip, s);
    }
    return uses;
  }

  private Map<String, ObjectNode> portUses(List<ObjectNode> svcs) {
    Map<String, ObjectNode> uses = new HashMap<>();
    for (ObjectNode s : svcs) {
      for (long np : ServiceSpecs.nodePorts(s)) {
        if (alloc.portRange().contains(np)) {
          uses.put(Long.toString(np), s);
        }
      }
    }
    return uses;
  }

  private CompletableFuture<Void> repair(
      AllocationTable table,
      Map<String, Entry> entries,
      Map<String, ObjectNode> uses,
      AtomicInteger freed,
      AtomicInteger restored) {
    Instant cutoff = clock.instant().minus(grace);
    List<CompletableFuture<?>> work = new ArrayList<>();
    for (Entry e : entries.values()) {
      ObjectNode user = uses.get(e.item());
      boolean used =
          user != null && user.path("metadata").path("uid").asText("").equals(e.owner().uid());
      if (!used && e.owner().allocatedAt().isBefore(cutoff)) {
        work.add(
            table
                .releaseIfUnchanged(e)
                .thenAccept(
                    ok -> {
                      if (ok) {
                        freed.incrementAndGet();
                        log.info("freed leaked {}{} of {}", table.prefix(), e.item(), e.owner());
                      }
                    }));
      } else if (!used && user != null) {
        log.warn(
            "{}{} is held by {} but used by {}",
            table.prefix(),
            e.item(),
            e.owner(),
            Owner.of(user, null));
      }
    }
    uses.forEach(
        (item, svc) -> {
          if (!entries.containsKey(item)) {
            work.add(
                table
                    .claim(item, Owner.of(svc, clock.instant()))
                    .thenAccept(
                        ok -> {
                          if (ok) {
                            restored.incrementAndGet();
                          }
                        }));
          }
        });
    return CompletableFuture.allOf(work.toArray(CompletableFuture[]::new));
  }
}
