package io.flotilla.controllers.testsupport;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.controllers.runtime.Clock;
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
  public final Clock clock;
  public final ControllerManager manager;

  public ControllerHarness(Named... controllers) {
    this(new SystemClock(), controllers);
  }

  /**
   * With a clock of the test's choosing, such as a {@link
   * io.flotilla.controllers.runtime.ManualClock}.
   */
  public ControllerHarness(Clock clock, Named... controllers) {
    this.clock = clock;
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
    if (clock instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    cluster.close();
  }
}
