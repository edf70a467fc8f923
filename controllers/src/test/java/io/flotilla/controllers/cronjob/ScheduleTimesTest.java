package io.flotilla.controllers.cronjob;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.api.validation.CronSchedule;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleTimesTest {
  @ParameterizedTest(name = "{0} in {1} after {2} -> {3}")
  @CsvSource({
    "'* * * * *', UTC, 2026-03-01T10:00:30Z, 2026-03-01T10:01:00Z",
    "'*/15 * * * *', UTC, 2026-03-01T10:01:00Z, 2026-03-01T10:15:00Z",
    "@hourly, UTC, 2026-03-01T10:00:00Z, 2026-03-01T11:00:00Z",
    "@daily, UTC, 2026-03-01T10:00:00Z, 2026-03-02T00:00:00Z",
    "@monthly, UTC, 2026-03-01T10:00:00Z, 2026-04-01T00:00:00Z",
    "@yearly, UTC, 2026-03-01T10:00:00Z, 2027-01-01T00:00:00Z",
    "@weekly, UTC, 2026-03-02T10:00:00Z, 2026-03-08T00:00:00Z",
    "'0 9 * * mon-fri', UTC, 2026-03-06T09:00:00Z, 2026-03-09T09:00:00Z",
    // Both day fields restricted: either matches (the 1st, or any Sunday).
    "'0 0 1 * sun', UTC, 2026-03-02T00:00:00Z, 2026-03-08T00:00:00Z",
    "'0 9 * * *', Asia/Tokyo, 2026-03-01T00:00:00Z, 2026-03-01T00:00:00Z/next",
    // New York springs forward on 2026-03-08: 09:00 EDT is 13:00 UTC.
    "'0 9 * * *', America/New_York, 2026-03-07T14:30:00Z, 2026-03-08T13:00:00Z",
    "'30 2 * * *', America/New_York, 2026-03-07T08:00:00Z, 2026-03-08T07:30:00Z",
  })
  void computesTheNextFiring(String spec, String zone, String after, String expected) {
    ScheduleTimes t = new ScheduleTimes(CronSchedule.parse(spec), ZoneId.of(zone));
    Instant want =
        expected.endsWith("/next")
            ? Instant.parse("2026-03-02T00:00:00Z") // 09:00 JST is midnight UTC
            : Instant.parse(expected);
    assertThat(t.next(Instant.parse(after))).contains(want);
  }

  @ParameterizedTest
  @CsvSource({"'0 0 30 2 *'", "'0 0 31 4 *'"})
  void aScheduleThatNeverFiresHasNoNextTime(String spec) {
    assertThat(
            new ScheduleTimes(CronSchedule.parse(spec), ZoneOffset.UTC)
                .next(Instant.parse("2026-01-01T00:00:00Z")))
        .isEmpty();
  }
}
