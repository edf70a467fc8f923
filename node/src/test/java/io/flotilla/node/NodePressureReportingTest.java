package io.flotilla.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.node.runtime.process.HostNode;
import io.flotilla.node.runtime.simulated.SimulatedHost;
import io.flotilla.node.runtime.simulated.SimulatedRuntime;
import io.flotilla.node.stats.DrivenClock;
import io.flotilla.node.stats.NodePressure;
import io.flotilla.testing.InProcessCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pressure conditions measured on the node reach the Node's status at once when they change. */
class NodePressureReportingTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String NODE = "pressured";

  @TempDir Path dir;

  @Test
  void aPressureChangeIsReportedAtOnceWithItsOwnTransitionTime() {
    Instant t0 = Instant.parse("2026-11-23T12:00:00Z");
    DrivenClock clock = new DrivenClock(t0);
    AtomicReference<List<NodePressure.Condition>> pressure =
        new AtomicReference<>(NodeConditions.NO_PRESSURE);
    AgentOptions opts =
        AgentOptions.defaults()
            .withClock(clock)
            .withIntervals(Duration.ofMillis(200), Duration.ofMinutes(5), Duration.ofMinutes(1));
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    try (InProcessCluster cluster = InProcessCluster.start();
        SimulatedRuntime runtime = new SimulatedRuntime(new SimulatedHost(clock, timers));
        NodeAgent agent =
            NodeAgent.start(
                cluster.client(),
                List.of(HostNode.template(NODE, "127.0.0.1", "10.244.0.0/24", dir, 110, t0)),
                name -> runtime,
                opts,
                name -> pressure.get())) {
      KubernetesClient client = cluster.client();
      await().atMost(WAIT).until(() -> agent.leaseRenewals(NODE) > 0);

      clock.advance(Duration.ofMinutes(1));
      List<NodePressure.Condition> low = new ArrayList<>(NodeConditions.NO_PRESSURE);
      low.set(
          0,
          new NodePressure.Condition(
              NodePressure.MEMORY,
              "True",
              "KubeletHasInsufficientMemory",
              "kubelet has insufficient memory available"));
      pressure.set(low);

      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(condition(client, "MemoryPressure").getStatus()).isEqualTo("True"));
      NodeCondition memory = condition(client, "MemoryPressure");
      assertThat(memory.getReason()).isEqualTo("KubeletHasInsufficientMemory");
      assertThat(memory.getMessage()).isEqualTo("kubelet has insufficient memory available");
      assertThat(memory.getLastTransitionTime()).isEqualTo("2026-11-23T12:01:00Z");
      NodeCondition disk = condition(client, "DiskPressure");
      assertThat(disk.getStatus()).isEqualTo("False");
      assertThat(disk.getLastTransitionTime()).isEqualTo("2026-11-23T12:00:00Z");
      assertThat(condition(client, "Ready").getStatus()).isEqualTo("True");
    } finally {
      timers.shutdownNow();
    }
  }

  private static NodeCondition condition(KubernetesClient client, String type) {
    return client.nodes().withName(NODE).get().getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }
}
