package io.flotilla.apiserver.services;

import io.flotilla.api.KindRegistry;
import io.flotilla.api.ResourceType;
import io.flotilla.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apiserver's Service networking as one unit: the allocator the REST handlers use, the repair
 * pass (at start-up and periodically), and the {@code kubernetes} Service.
 */
public final class ServiceNetworking {
  private static final Logger log = LoggerFactory.getLogger(ServiceNetworking.class);

  /** What the apiserver was configured with. */
  public record Options(
      ServiceCidr cidr, PortRange nodePorts, Duration repairGrace, Duration repairInterval) {
    public static Options defaults() {
      return new Options(
          ServiceCidr.parse(ServiceCidr.DEFAULT),
          PortRange.parse(PortRange.DEFAULT),
          Duration.ofMinutes(1),
          Duration.ofMinutes(3));
    }
  }

  private final ServiceAllocator allocator;
  private final AllocationRepair repair;
  private final KubernetesService kubernetes;
  private final Options options;

  public ServiceNetworking(Store store, KindRegistry registry, Clock clock, Options options) {
    this.options = options;
    this.allocator = new ServiceAllocator(store, options.cidr(), options.nodePorts(), clock);
    Optional<ResourceType> services = registry.byResource("", "v1", "services");
    Optional<ResourceType> endpoints = registry.byResource("", "v1", "endpoints");
    this.repair =
        services
            .map(s -> new AllocationRepair(store, allocator, s, clock, options.repairGrace()))
            .orElse(null);
    this.kubernetes =
        services.isPresent() && endpoints.isPresent()
            ? new KubernetesService(store, allocator, services.get(), endpoints.get(), clock)
            : null;
  }

  public ServiceAllocator allocator() {
    return allocator;
  }

  /** One repair pass; completes with what it changed (nothing when services are not served). */
  public java.util.concurrent.CompletableFuture<AllocationRepair.Result> repair() {
    return repair == null
        ? java.util.concurrent.CompletableFuture.completedFuture(new AllocationRepair.Result(0, 0))
        : repair.run();
  }

  /**
   * Start-up: a repair pass, then the kubernetes Service pointing at {@code address}:{@code port};
   * later passes run on {@code timers}. Blocks until both are done.
   */
  public void start(String address, int port, ScheduledExecutorService timers) {
    repair().join();
    if (kubernetes != null) {
      kubernetes.ensure(address, port).join();
    }
    long every = options.repairInterval().toMillis();
    if (repair != null && every > 0) {
      timers.scheduleWithFixedDelay(
          () ->
              repair()
                  .exceptionally(
                      e -> {
                        log.warn("service allocation repair failed: {}", e.toString());
                        return null;
                      }),
          every,
          every,
          TimeUnit.MILLISECONDS);
    }
  }

  /** The address the kubernetes Endpoints name for a bind host: loopback for a wildcard. */
  public static String endpointAddress(String bindHost) {
    if (bindHost == null
        || bindHost.isEmpty()
        || bindHost.equals("0.0.0.0")
        || bindHost.equals("localhost")
        || ServiceCidr.parseIp(bindHost) == null) {
      return "127.0.0.1";
    }
    return bindHost;
  }
}
