package io.flotilla.node.runtime.simulated;

import io.flotilla.node.runtime.ContainerConfig;
import io.flotilla.node.runtime.Runtime;
import io.flotilla.node.runtime.RuntimeContractTest;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;

/** The simulated runtime passes the runtime contract (it has no logs and no exec). */
class SimulatedRuntimeContractTest extends RuntimeContractTest {
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stopTimers() {
    timers.shutdownNow();
  }

  @Override
  protected Runtime newRuntime(Path dir) {
    return new SimulatedRuntime(new SimulatedHost(Clock.systemUTC(), timers));
  }

  @Override
  protected ContainerConfig runningContainer(String name, int attempt) {
    return config(name, attempt);
  }

  @Override
  protected ContainerConfig exitingContainer(String name, int code) {
    return config(name, 0);
  }

  @Override
  protected Map<String, String> exitingSandboxAnnotations(int code) {
    return Map.of(
        SimulatedAnnotations.EXIT_AFTER, "50ms", SimulatedAnnotations.EXIT_CODE, "" + code);
  }

  @Override
  protected boolean writesLogs() {
    return false;
  }

  private static ContainerConfig config(String name, int attempt) {
    return new ContainerConfig(
        name,
        attempt,
        "busybox",
        List.of(),
        List.of(),
        "",
        Map.of(),
        Map.of(
            ContainerConfig.CONTAINER_NAME_LABEL,
            name,
            ContainerConfig.CONTAINER_TYPE_LABEL,
            "app"),
        Map.of());
  }
}
