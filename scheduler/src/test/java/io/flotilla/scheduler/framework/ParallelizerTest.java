package io.flotilla.scheduler.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParallelizerTest {
  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, 2, 4})
  void visitsEveryIndexExactlyOnce(int parallelism) {
    try (Parallelizer p = new Parallelizer(parallelism)) {
      AtomicIntegerArray seen = new AtomicIntegerArray(1000);
      p.until(1000, seen::incrementAndGet);
      for (int i = 0; i < 1000; i++) {
        assertThat(seen.get(i)).isEqualTo(1);
      }
    }
  }

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, 2})
  void stopsEarlyWhenAsked(int parallelism) {
    try (Parallelizer p = new Parallelizer(parallelism)) {
      AtomicInteger done = new AtomicInteger();
      p.until(100_000, i -> done.incrementAndGet(), () -> done.get() >= 10);
      assertThat(done.get()).isLessThan(100_000);
    }
  }

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, 2})
  void rethrowsAWorkersFailure(int parallelism) {
    try (Parallelizer p = new Parallelizer(parallelism)) {
      assertThatThrownBy(
              () ->
                  p.until(
                      100,
                      i -> {
                        if (i == 42) {
                          throw new IllegalStateException("boom at 42");
                        }
                      }))
          .hasMessage("boom at 42");
    }
  }
}
