package io.flotilla.scheduler.plugins.prioritysort;

import static io.flotilla.scheduler.testutil.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.scheduler.framework.QueuedPodInfo;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrioritySortTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("higher priority first", 10, T0.plusSeconds(5), 1, T0, true),
        Arguments.of("lower priority later", 1, T0, 10, T0.plusSeconds(5), false),
        Arguments.of("equal priority: older first", 5, T0, 5, T0.plusSeconds(1), true),
        Arguments.of("equal priority and time: neither is less", 5, T0, 5, T0, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void ordersByPriorityThenTimestamp(
      String name, int pa, Instant ta, int pb, Instant tb, boolean less) {
    QueuedPodInfo a = new QueuedPodInfo(pod("a").priority(pa).info(), ta);
    QueuedPodInfo b = new QueuedPodInfo(pod("b").priority(pb).info(), tb);
    assertThat(new PrioritySort().less(a, b)).isEqualTo(less);
  }
}
