package io.flotilla.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.node.runtime.ContainerStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CrashLoopBackOff's delays: 10 s doubling to 5 min, back to 10 s after a 10 min run. */
class PodSyncBackoffTest {
  private final Instant t0 = Instant.parse("2026-11-23T10:00:00Z");
  private final PodSync sync =
      new PodSync(
          "test",
          Clock.fixed(t0, ZoneOffset.UTC),
          Duration.ofSeconds(10),
          Duration.ofMinutes(5),
          p -> Duration.ZERO,
          null,
          Duration.ofMinutes(10));

  private static ContainerStatus exited(int attempt, Instant started, Duration ran) {
    return new ContainerStatus(
        "id" + attempt,
        "sb",
        "main",
        attempt,
        "img",
        "img",
        ContainerStatus.State.EXITED,
        started,
        started,
        started.plus(ran),
        1,
        "Error");
  }

  @Test
  void delaysDoubleUpToFiveMinutesAndResetAfterALongRun() {
    PodRecord rec = new PodRecord();
    List<Duration> delays = new ArrayList<>();
    Instant at = t0;
    for (int attempt = 0; attempt < 7; attempt++) {
      ContainerStatus s = exited(attempt, at, Duration.ofSeconds(1));
      delays.add(sync.backoff(rec, s));
      // Asking again about the same exit does not count it twice.
      assertThat(sync.backoff(rec, s)).isEqualTo(delays.getLast());
      at = at.plus(Duration.ofMinutes(6));
    }
    assertThat(delays)
        .containsExactly(
            Duration.ofSeconds(10),
            Duration.ofSeconds(20),
            Duration.ofSeconds(40),
            Duration.ofSeconds(80),
            Duration.ofSeconds(160),
            Duration.ofMinutes(5),
            Duration.ofMinutes(5));
    ContainerStatus longRun = exited(7, at, Duration.ofMinutes(10));
    assertThat(sync.backoff(rec, longRun)).isEqualTo(Duration.ofSeconds(10));
    ContainerStatus next = exited(8, at.plus(Duration.ofMinutes(11)), Duration.ofSeconds(1));
    assertThat(sync.backoff(rec, next)).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void goDurationPrintsAsKubeletDoes() {
    assertThat(ContainerReports.goDuration(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(ContainerReports.goDuration(Duration.ofSeconds(10))).isEqualTo("10s");
    assertThat(ContainerReports.goDuration(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(ContainerReports.goDuration(Duration.ofMinutes(5))).isEqualTo("5m0s");
  }
}
