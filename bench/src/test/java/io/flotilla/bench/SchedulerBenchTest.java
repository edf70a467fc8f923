package io.flotilla.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SchedulerBenchTest {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String... args) {
    SchedulerBench bench =
        new SchedulerBench(
            Clock.systemUTC(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CommandLine(bench).execute(args);
  }

  @Test
  void bindsEveryPodThroughTheApiAndReportsTheFiguresAsJson() throws Exception {
    int code = run("--nodes", "3", "--pods", "30", "--clients", "4", "--json");

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(json.path("bound").asLong()).isEqualTo(30);
    assertThat(json.path("errors").asLong()).isZero();
    assertThat(json.path("pods_per_sec").asDouble()).isPositive();
    assertThat(json.path("bind_p99_ms").asDouble())
        .isGreaterThanOrEqualTo(json.path("bind_p50_ms").asDouble());
    assertThat(json.path("peak_rss_mb").asDouble()).isPositive();
  }

  @Test
  void rejectsSizesBelowOne() {
    assertThat(run("--nodes", "0")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--nodes");
  }
}
