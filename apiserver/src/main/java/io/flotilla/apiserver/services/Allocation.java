package io.flotilla.apiserver.services;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.FieldError;
import io.flotilla.api.ResourceType;
import io.flotilla.apiserver.services.ServiceAllocator.Held;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One request's allocation for one Service: fills in its cluster IP and node ports, taking each
 * from its table (or, in a dry run, only checking it is free), and remembers what it took. Steps
 * run one after another; the first failure ends the allocation and the caller gives back what was
 * taken.
 */
final class Allocation {
  private final ServiceAllocator alloc;
  private final ResourceType type;
  private final ObjectNode svc;
  private final Owner owner;
  private final boolean dryRun;
  private final List<Held> claimed = new CopyOnWriteArrayList<>();

  Allocation(
      ServiceAllocator alloc, ResourceType type, ObjectNode svc, Owner owner, boolean dryRun) {
    this.alloc = alloc;
    this.type = type;
    this.svc = svc;
    this.owner = owner;
    this.dryRun = dryRun;
  }

  List<Held> claimed() {
    return List.copyOf(claimed);
  }

  /** Keeps {@code oldIp} or takes the requested or any free cluster IP. */
  CompletableFuture<Void> clusterIp(String oldIp) {
    if (!ServiceSpecs.needsClusterIp(svc)) {
      return done();
    }
    String requested = ServiceSpecs.clusterIp(svc);
    if (!requested.isEmpty() && requested.equals(oldIp)) {
      return done();
    }
    AllocationTable ips = alloc.ipTable();
    if (requested.isEmpty()) {
      CompletableFuture<String> any = dryRun ? ips.peekAny() : ips.claimAny(owner);
      return any.thenAccept(
          ip -> {
            if (ip == null) {
              throw ServiceAllocator.full("serviceIP");
            }
            took(ips, ip);
            ServiceSpecs.setClusterIp(svc, ip);
          });
    }
    if (!alloc.cidr().contains(requested)) {
      throw ipError(
          requested,
          "provided IP is not in the valid range. The range of valid IPs is " + alloc.cidr());
    }
    return take(ips, requested)
        .thenAccept(
            ok -> {
              if (!ok) {
                throw ipError(requested, "provided IP is already allocated");
              }
              ServiceSpecs.setClusterIp(svc, requested);
            });
  }

  /** Keeps node ports the old object held, takes the requested ones and any that are missing. */
  CompletableFuture<Void> nodePorts(Set<Long> held) {
    if (!ServiceSpecs.mayHaveNodePorts(svc)) {
      return done();
    }
    boolean fill = ServiceSpecs.needsNodePorts(svc);
    Set<Long> seen = new HashSet<>(held);
    List<ObjectNode> ports = ServiceSpecs.ports(svc);
    CompletableFuture<Void> chain = done();
    for (int i = 0; i < ports.size(); i++) {
      ObjectNode p = ports.get(i);
      String field = "spec.ports[" + i + "].nodePort";
      chain = chain.thenCompose(v -> nodePort(p, field, seen, fill));
    }
    return chain;
  }

  private CompletableFuture<Void> nodePort(
      ObjectNode p, String field, Set<Long> seen, boolean fill) {
    AllocationTable table = alloc.portTable();
    long np = p.path("nodePort").asLong(0);
    if (np == 0) {
      if (!fill) {
        return done();
      }
      CompletableFuture<String> any = dryRun ? table.peekAny() : table.claimAny(owner);
      return any.thenAccept(
          port -> {
            if (port == null) {
              throw ServiceAllocator.full("nodePort");
            }
            took(table, port);
            p.put("nodePort", Long.parseLong(port));
            seen.add(Long.parseLong(port));
          });
    }
    // The same node port on two ports of one Service (53/TCP and 53/UDP) is one allocation.
    if (!seen.add(np)) {
      return done();
    }
    if (!alloc.portRange().contains(np)) {
      throw portError(
          field,
          np,
          "provided port is not in the valid range. The range of valid ports is "
              + alloc.portRange());
    }
    return take(table, Long.toString(np))
        .thenAccept(
            ok -> {
              if (!ok) {
                throw portError(field, np, "provided port is already allocated");
              }
            });
  }

  /** Takes an item, or in a dry run checks that nobody else holds it. */
  private CompletableFuture<Boolean> take(AllocationTable table, String item) {
    if (dryRun) {
      return table.holder(item).thenApply(h -> h == null || h.uid().equals(owner.uid()));
    }
    return table
        .claim(item, owner)
        .thenApply(
            ok -> {
              if (ok) {
                took(table, item);
              }
              return ok;
            });
  }

  private void took(AllocationTable table, String item) {
    if (!dryRun) {
      claimed.add(new Held(table, item));
    }
  }

  private RuntimeException ipError(String ip, String why) {
    return ServiceAllocator.invalid(
        type,
        svc,
        FieldError.invalid("spec.clusterIPs[0]", ip, "failed to allocate IP " + ip + ": " + why));
  }

  private RuntimeException portError(String field, long port, String why) {
    return ServiceAllocator.invalid(type, svc, FieldError.invalid(field, port, why));
  }

  private static CompletableFuture<Void> done() {
    return CompletableFuture.completedFuture(null);
  }
}
