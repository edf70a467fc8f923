package io.flotilla.api.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationsTest {
  @ParameterizedTest(name = "{0} ns is \"{1}\"")
  @CsvSource({
    "0, 0s",
    "1, 1ns",
    "1500, 1.5µs",
    "500000000, 500ms",
    "1000000000, 1s",
    "2500000000, 2.5s",
    "90000000000, 1m30s",
    "3600000000000, 1h0m0s",
    "3723500000000, 1h2m3.5s",
    "-90000000000, -1m30s"
  })
  void formatsAndParsesLikeGo(long nanos, String text) {
    assertThat(GoDurations.format(nanos)).isEqualTo(text);
    assertThat(GoDurations.parse(text)).isEqualTo(nanos);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", "5", "1x", "h", "1.5.5s"})
  void rejectsTextThatIsNotAGoDuration(String text) {
    assertThatThrownBy(() -> GoDurations.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
