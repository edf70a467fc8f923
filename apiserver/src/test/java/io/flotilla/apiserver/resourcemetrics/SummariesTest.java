package io.flotilla.apiserver.resourcemetrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummariesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-01-02T15:04:05Z");

  @Test
  void readsTheKubeletsRatesAndWorkingSets() throws Exception {
    var summary =
        JSON.readTree(
            """
            {"node":{"cpu":{"time":"2026-01-02T15:04:00Z","usageNanoCores":5},
                     "memory":{"workingSetBytes":4096}},
             "pods":[{"podRef":{"name":"p","namespace":"ns"},"containers":[
               {"name":"c","cpu":{"usageNanoCores":7},"memory":{"workingSetBytes":2048}},
               {"name":"no-stats"}]}]}
            """);

    Summaries.NodeSummary s = Summaries.parse("n", summary, NOW, new HashMap<>());

    assertThat(s.node()).isEqualTo("n");
    assertThat(s.usage().nanoCores()).isEqualTo(5);
    assertThat(s.usage().time()).isEqualTo(Instant.parse("2026-01-02T15:04:00Z"));
    assertThat(s.pods()).hasSize(1);
    assertThat(s.pods().getFirst().containers()).hasSize(1);
    assertThat(s.pods().getFirst().containers().getFirst().usage().memoryBytes()).isEqualTo(2048);
  }

  @Test
  void withoutARateTheCpuComesFromTheGrowthOfTheCumulativeCounter() throws Exception {
    Map<String, Summaries.Usage> previous = new HashMap<>();
    String doc =
        "{\"node\":{\"cpu\":{\"time\":\"%s\",\"usageCoreNanoSeconds\":%d},"
            + "\"memory\":{\"workingSetBytes\":1}}}";

    Summaries.NodeSummary first =
        Summaries.parse(
            "n",
            JSON.readTree(doc.formatted("2026-01-02T15:04:00Z", 1_000_000_000L)),
            NOW,
            previous);
    Summaries.NodeSummary second =
        Summaries.parse(
            "n",
            JSON.readTree(doc.formatted("2026-01-02T15:04:10Z", 6_000_000_000L)),
            NOW,
            previous);

    assertThat(first.usage()).isNull();
    assertThat(second.usage().nanoCores()).isEqualTo(500_000_000L);
    assertThat(second.usage().window()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void writesQuantitiesAsMetricsServerDoes() {
    assertThat(Summaries.cpu(250_000_000L)).isEqualTo("250000000n");
    assertThat(Summaries.memory(2_147_483_648L)).isEqualTo("2097152Ki");
    assertThat(Summaries.window(Duration.ofSeconds(10))).isEqualTo("10s");
    assertThat(Summaries.window(Duration.ofMillis(9500))).isEqualTo("9.5s");
  }
}
