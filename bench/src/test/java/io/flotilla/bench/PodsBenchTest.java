package io.flotilla.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flotilla.node.runtime.cri.LocalContainerd;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PodsBenchTest {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String... args) {
    PodsBench bench =
        new PodsBench(
            Clock.systemUTC(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CommandLine(bench).execute(args);
  }

  @Test
  void refusesNegativeCountsBeforeStartingAnything() {
    assertThat(run("--warmup", "-1")).isEqualTo(2);
    assertThat(run("--interval-ms", "-5")).isEqualTo(2);
    assertThat(run("--count", "0")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--warmup at least 0");
    assertThat(out.size()).isZero();
  }

  @Test
  void aSequenceReportHasNoIntervalAndCountsPodsPerSecond() throws Exception {
    Histogram latency = new Histogram(3);
    latency.recordValue(400_000_000L);
    latency.recordValue(600_000_000L);
    JsonNode json =
        new ObjectMapper()
            .readTree(new PodsBenchReport(2, -1, 2, latency, 4.0, "containerd://x").json());

    assertThat(json.path("mode").asText()).isEqualTo("sequence");
    assertThat(json.has("interval_ms")).isFalse();
    assertThat(json.path("pods_per_sec").asDouble()).isEqualTo(0.5);
    assertThat(json.path("running_p99_ms").asDouble()).isBetween(599.0, 601.0);
  }

  @Test
  void aPacedReportNamesItsInterval() throws Exception {
    JsonNode json =
        new ObjectMapper()
            .readTree(new PodsBenchReport(3, 0, 1, new Histogram(3), 2.0, "containerd://x").json());

    assertThat(json.path("mode").asText()).isEqualTo("paced");
    assertThat(json.path("interval_ms").asInt()).isZero();
    assertThat(json.path("running").asInt()).isEqualTo(1);
  }

  @Test
  void startsPodsOnARealContainerdAndReportsTheirStartupAsJson() throws Exception {
    assumeTrue(LocalContainerd.installed(), "containerd and runc are not installed");

    int code = run("--count", "2", "--warmup", "1", "--timeout", "300", "--json");

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(json.path("running").asInt()).isEqualTo(2);
    assertThat(json.path("mode").asText()).isEqualTo("sequence");
    assertThat(json.path("running_p50_ms").asDouble()).isPositive();
    assertThat(json.path("running_p99_ms").asDouble())
        .isGreaterThanOrEqualTo(json.path("running_p50_ms").asDouble());
    assertThat(json.path("runtime").asText()).startsWith("containerd://");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("warming up: 1 pods");
  }
}
