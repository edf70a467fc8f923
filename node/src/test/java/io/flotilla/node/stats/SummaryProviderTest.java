package io.flotilla.node.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flotilla.node.runtime.ContainerConfig;
import io.flotilla.node.runtime.ContainerUsage;
import io.flotilla.node.runtime.PodSandboxConfig;
import io.flotilla.node.runtime.process.ProcessRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Summary API over the process runtime: real processes, a driven sampling clock. */
class SummaryProviderTest {
  private static final Duration WAIT = Duration.ofMinutes(1);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private ProcessRuntime runtime;
  private DrivenClock clock;
  private SummaryProvider summary;

  @BeforeEach
  void start() {
    runtime = new ProcessRuntime(dir, Clock.systemUTC(), "127.0.0.1");
    clock = new DrivenClock(Instant.parse("2026-11-23T12:00:00Z"));
    summary = new SummaryProvider("node-a", clock, ProcHost.of(dir), runtime);
  }

  @AfterEach
  void stop() {
    summary.close();
    runtime.close();
  }

  @Test
  void aContainerBurningCpuShowsNanoCoresAfterTwoSamples() throws IOException {
    var pod = new PodSandboxConfig("burner", "team-a", "uid-1", 0, "burner", Map.of(), Map.of());
    String sandbox = runtime.runPodSandbox(pod);
    String id = runtime.createContainer(sandbox, container("spin", "while :; do :; done"), pod);
    runtime.startContainer(id);
    long before = cpuOf(id);

    summary.sample();
    JsonNode first = JSON.readTree(summary.summaryJson());
    await().atMost(WAIT).until(() -> cpuOf(id) > before + 50_000_000L);
    clock.advance(Duration.ofSeconds(10));
    summary.sample();
    JsonNode second = JSON.readTree(summary.summaryJson());

    JsonNode c0 = first.at("/pods/0/containers/0");
    assertThat(c0.path("cpu").has("usageNanoCores")).as("one sample gives no rate").isFalse();
    JsonNode p = second.at("/pods/0");
    assertThat(p.path("podRef").path("name").asText()).isEqualTo("burner");
    assertThat(p.path("podRef").path("namespace").asText()).isEqualTo("team-a");
    assertThat(p.path("podRef").path("uid").asText()).isEqualTo("uid-1");
    JsonNode c = p.at("/containers/0");
    assertThat(c.path("name").asText()).isEqualTo("spin");
    assertThat(c.at("/cpu/usageNanoCores").asLong()).isPositive();
    assertThat(c.at("/cpu/usageCoreNanoSeconds").asLong())
        .isGreaterThan(c0.at("/cpu/usageCoreNanoSeconds").asLong());
    assertThat(c.at("/cpu/time").asText()).isEqualTo("2026-11-23T12:00:10Z");
    assertThat(c.at("/memory/workingSetBytes").asLong()).isPositive();
    assertThat(p.at("/cpu/usageNanoCores").asLong())
        .as("the pod sums its containers")
        .isEqualTo(c.at("/cpu/usageNanoCores").asLong());
    assertThat(p.at("/memory/workingSetBytes").asLong())
        .isEqualTo(c.at("/memory/workingSetBytes").asLong());
  }

  @Test
  void theNodeSectionHasKubeletsShape() throws IOException {
    summary.sample();
    clock.advance(Duration.ofSeconds(10));
    summary.sample();

    JsonNode node = JSON.readTree(summary.summaryJson()).path("node");
    assertThat(node.path("nodeName").asText()).isEqualTo("node-a");
    assertThat(Instant.parse(node.path("startTime").asText())).isBefore(Instant.now());
    assertThat(node.path("cpu").has("usageNanoCores")).isTrue();
    assertThat(node.at("/cpu/usageCoreNanoSeconds").asLong()).isPositive();
    assertThat(node.path("memory").fieldNames())
        .toIterable()
        .contains("time", "availableBytes", "usageBytes", "workingSetBytes", "rssBytes");
    assertThat(node.at("/memory/workingSetBytes").asLong()).isPositive();
    assertThat(node.at("/fs/capacityBytes").asLong()).isPositive();
    assertThat(node.at("/fs/availableBytes").asLong()).isPositive();
    assertThat(node.at("/runtime/imageFs/capacityBytes").asLong()).isPositive();
    assertThat(node.at("/rlimit/maxpid").asLong()).isPositive();
    assertThat(JSON.readTree(summary.summaryJson()).path("pods").isArray()).isTrue();
  }

  @Test
  void reportsTheThreePressureConditionsFromTheLatestSample() {
    summary.sample();

    assertThat(summary.pressure(NodePressure.Thresholds.KUBELET_DEFAULTS))
        .extracting(NodePressure.Condition::type)
        .containsExactly("MemoryPressure", "DiskPressure", "PIDPressure");
  }

  private long cpuOf(String id) {
    return runtime.containerStats().stream()
        .filter(u -> u.containerId().equals(id))
        .mapToLong(ContainerUsage::cpuCoreNanoSeconds)
        .findFirst()
        .orElse(-1);
  }

  private static ContainerConfig container(String name, String script) {
    return new ContainerConfig(
        name,
        0,
        "",
        List.of("sh", "-c"),
        List.of(script),
        "",
        Map.of(),
        Map.of(ContainerConfig.CONTAINER_NAME_LABEL, name),
        Map.of(),
        List.of(),
        name + "/0.log",
        null,
        null);
  }
}
