package io.flotilla.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class ApiBenchTest {
  private static final List<String> FIGURES =
      List.of(
          "creates_per_sec",
          "create_p50_ms",
          "create_p99_ms",
          "create_p99_ms_at_1000_per_sec",
          "list_10k_ms",
          "list_10k_p99_ms",
          "watch_delay_p50_ms",
          "watch_delay_p99_ms");

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    ApiBench bench =
        new ApiBench(
            Clock.systemUTC(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CommandLine(bench).execute(args);
  }

  @Test
  void aTinyRunAgainstARealServerPrintsOneJsonObjectWithEveryFigure() throws Exception {
    int exit =
        run(
            "--clients=8",
            "--creates=100",
            "--rate=200",
            "--rate-creates=50",
            "--list-objects=100",
            "--lists=2",
            "--watchers=5",
            "--watch-events=20",
            "--watch-rate=100",
            "--warmup=30",
            "--json");

    assertThat(exit).as("exit code; stderr: %s", err).isZero();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text.strip().lines()).as("one JSON object on one line").hasSize(1);
    JsonNode json = new ObjectMapper().readTree(text);
    for (String figure : FIGURES) {
      assertThat(json.path(figure).isNumber()).as(figure).isTrue();
      assertThat(json.get(figure).asDouble()).as(figure).isPositive();
    }
    assertThat(json.get("clients").asInt()).isEqualTo(8);
    assertThat(json.get("creates").asLong()).isEqualTo(100);
    assertThat(json.get("watchers").asInt()).isEqualTo(5);
    assertThat(json.get("warmup_creates").asLong()).isEqualTo(30);
    assertThat(json.get("errors").asLong()).isZero();
    assertThat(json.get("auth").asText()).contains("client certificate");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("creates: done, 100 succeeded");
  }

  @Test
  void measuresAnExistingServerThroughItsKubeconfigInFreshNamespaces(@TempDir Path dir)
      throws Exception {
    Path kubeconfig = dir.resolve("admin.kubeconfig");
    try (BenchApiServer server = BenchApiServer.start(Clock.systemUTC())) {
      server.writeKubeconfig(kubeconfig);

      int exit =
          run(
              "--kubeconfig",
              kubeconfig.toString(),
              "--clients",
              "2",
              "--creates",
              "20",
              "--rate-creates",
              "10",
              "--list-objects",
              "10",
              "--lists",
              "1",
              "--watchers",
              "2",
              "--watch-events",
              "5",
              "--warmup",
              "0",
              "--json");

      assertThat(exit).as("exit code; stderr: %s", err).isZero();
      JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
      assertThat(json.get("server").asText()).contains(server.target().base().toString());
      assertThat(json.get("auth").asText()).isEqualTo("client certificate from the kubeconfig");
      assertThat(json.get("creates_per_sec").asDouble()).isPositive();
      assertThat(err.toString(StandardCharsets.UTF_8))
          .containsPattern("left in namespaces bench-create-\\w+, bench-list-\\w+");
    }
  }

  @Test
  void refusesAKubeconfigWithoutItsCurrentContext(@TempDir Path dir) throws Exception {
    Path kubeconfig = dir.resolve("broken.kubeconfig");
    Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\ncurrent-context: nowhere\n");

    int exit = run("--kubeconfig", kubeconfig.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("no entry named 'nowhere' in contexts");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "--clients, 0",
    "--creates, -1",
    "--rate, 0",
    "--rate-creates, 0",
    "--list-objects, 0",
    "--lists, 0",
    "--watchers, 0",
    "--watch-events, 0",
    "--watch-rate, -5",
    "--warmup, -1",
    "--data-size, 2000000"
  })
  void refusesASizeOutOfRangeNamingTheOptionAndStartsNothing(String option, String value) {
    int exit = run(option, value);

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(option).contains(value);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void reportCarriesTheFiguresInMillisecondsAndCountsErrorsByKind() throws Exception {
    Histogram ms = CreateLoad.newHistogram();
    for (int i = 1; i <= 100; i++) {
      ms.recordValue(i * 1_000_000L); // 1 ms … 100 ms
    }
    ApiBenchReport report =
        new ApiBenchReport(
            new ApiBenchReport.Sizes(64, 100, 1000, 100, 10000, 100, 100, 100, 100, 10000),
            "in-process",
            ApiBench.AUTH,
            new CreateLoad.Result(100, 2_000_000_000L, ms),
            new CreateLoad.Result(100, 1_000_000_000L, ms),
            new ListLoad.Result(100, ms),
            new WatchLoad.Result(100, 3, ms),
            Map.of("create: HTTP 409 AlreadyExists", 2L));

    JsonNode json = new ObjectMapper().readTree(report.json());

    assertThat(json.get("creates_per_sec").asDouble()).isEqualTo(50.0);
    assertThat(json.get("create_p50_ms").asDouble()).isBetween(49.9, 50.1);
    assertThat(json.get("list_10k_p99_ms").asDouble()).isBetween(98.9, 99.1);
    assertThat(json.get("watch_events_before_ack").asLong()).isEqualTo(3);
    assertThat(json.get("errors").asLong()).isEqualTo(2);
    assertThat(json.path("error_kinds").path("create: HTTP 409 AlreadyExists").asLong())
        .isEqualTo(2);
    assertThat(report.human()).contains("errors: 2").contains("create: HTTP 409 AlreadyExists");
  }
}
