package io.flotilla.node.runtime.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CriLogLineTest {

  @Test
  void parsesAFullStdoutLineWithNanosecondTimestamp() {
    CriLogLine line = CriLogLine.parse("2026-11-23T15:18:22.815198121Z stdout F hello world");

    assertThat(line.time()).isEqualTo(Instant.parse("2026-11-23T15:18:22.815198121Z"));
    assertThat(line.stream()).isEqualTo(CriLogLine.Stream.STDOUT);
    assertThat(line.partial()).isFalse();
    assertThat(line.content()).isEqualTo("hello world");
  }

  @Test
  void keepsAPartialStderrLineAndItsSpaces() {
    CriLogLine line = CriLogLine.parse("2026-11-23T15:18:22Z stderr P  two  spaces ");

    assertThat(line.stream()).isEqualTo(CriLogLine.Stream.STDERR);
    assertThat(line.partial()).isTrue();
    assertThat(line.content()).isEqualTo(" two  spaces ");
  }

  @Test
  void readsAnEmptyLine() {
    assertThat(CriLogLine.parse("2026-11-23T15:18:22Z stdout F ").content()).isEmpty();
    assertThat(CriLogLine.parse("2026-11-23T15:18:22Z stdout F").content()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no fields|expected <timestamp> <stream> <tag> <content>",
        "yesterday stdout F x|the timestamp is not RFC 3339",
        "2026-11-23T15:18:22Z stdin F x|the stream must be stdout or stderr",
        "2026-11-23T15:18:22Z stdout X x|the tag must be F (full line) or P (partial line)",
      })
  void rejectsLinesThatAreNotInTheCriFormatSayingWhy(String line, String reason) {
    assertThatThrownBy(() -> CriLogLine.parse(line))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Not a CRI log line (" + reason + "): " + line);
  }
}
