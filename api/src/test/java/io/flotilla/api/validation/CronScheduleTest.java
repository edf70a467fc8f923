package io.flotilla.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CronScheduleTest {

  @ParameterizedTest(name = "\"{0}\" parses")
  @ValueSource(
      strings = {
        "* * * * *",
        "*/5 * * * *",
        "0 0 1 1 *",
        "0 9-17 * * MON-FRI",
        "15,45 */2 ? JAN,JUL sun",
        "5/15 * * * *",
        "@hourly",
        "@daily",
        "@Weekly",
        "@yearly",
        "@annually",
        "@midnight",
        "@monthly",
      })
  void parsesStandardSchedules(String spec) {
    assertThat(CronSchedule.parse(spec)).isNotNull();
  }

  @ParameterizedTest(name = "\"{0}\" fails: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "* * * *|expected exactly 5 fields, found 4",
        "60 * * * *|above maximum (59)",
        "* 24 * * *|above maximum (23)",
        "* * 0 * *|below minimum (1)",
        "* * * 13 *|above maximum (12)",
        "* * * * 7|above maximum (6)",
        "5-1 * * * *|beyond end of range",
        "*/0 * * * *|step of range should be a positive number",
        "x * * * *|failed to parse int from x",
        "@often|unrecognized descriptor",
      })
  void refusesBadSchedules(String spec, String message) {
    assertThatThrownBy(() -> CronSchedule.parse(spec)).hasMessageContaining(message);
  }

  @Test
  void expandsStepsAndNames() {
    CronSchedule s = CronSchedule.parse("*/20 9-17/4 * feb,DEC mon-wed");
    assertThat(s.minutes().toString()).isEqualTo("{0, 20, 40}");
    assertThat(s.hours().toString()).isEqualTo("{9, 13, 17}");
    assertThat(s.months().toString()).isEqualTo("{2, 12}");
    assertThat(s.daysOfWeek().toString()).isEqualTo("{1, 2, 3}");
    assertThat(s.domStar()).isTrue();
    assertThat(s.dowStar()).isFalse();
  }
}
