package io.flotilla.controllers.testsupport;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.controllers.runtime.Controller;
import io.flotilla.controllers.runtime.ControllerContext;
import io.flotilla.controllers.runtime.ControllerManager;
import io.flotilla.controllers.runtime.SystemClock;
import io.flotilla.testing.InProcessCluster;
import java.util.function.Function;

/**
 * An in-process cluster with a controller manager (no leader election) running some controllers.
 */
public final class ControllerHarness implements AutoCloseable {
  public final InProcessCluster cluster;
  public final KubernetesClient client;
  public final SystemClock clock = new SystemClock();
  public final ControllerManager manager;

  @SafeVarargs
  public ControllerHarness(Named... controllers) {
    cluster = InProcessCluster.start();
    client = cluster.client();
    var b = ControllerManager.builder(cluster.client()).clock(clock).leaderElection(false);
    for (Named n : controllers) {
      b.add(n.name(), n.factory());
    }
    manager = b.build();
    manager.start();
  }

  public static Named of(String name, Function<ControllerContext, Controller> factory) {
    return new Named(name, factory);
  }

  public record Named(String name, Function<ControllerContext, Controller> factory) {}

  @Override
  public void close() {
    manager.close();
    clock.close();
    cluster.close();
  }
}
