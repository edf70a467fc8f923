package io.flotilla.controllers.cronjob;

import io.flotilla.api.validation.CronSchedule;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * When a cron schedule fires, in a time zone, as robfig/cron (which upstream uses) computes it:
 * fields are matched against wall-clock time in the zone; day-of-month and day-of-week are ORed
 * when both are restricted, ANDed when either is '*'. Immutable.
 */
final class ScheduleTimes {
  /** robfig/cron gives up after five years without a match (for example "0 0 30 2 *"). */
  private static final int YEARS = 5;

  private final CronSchedule schedule;
  private final ZoneId zone;

  ScheduleTimes(CronSchedule schedule, ZoneId zone) {
    this.schedule = schedule;
    this.zone = zone;
  }

  /** The first firing strictly after {@code after}, or empty when there is none within 5 years. */
  Optional<Instant> next(Instant after) {
    ZonedDateTime t = after.atZone(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    LocalDateTime local = t.toLocalDateTime();
    LocalDateTime limit = local.plusYears(YEARS);
    while (local.isBefore(limit)) {
      if (!schedule.months().get(local.getMonthValue())) {
        local = local.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
        continue;
      }
      if (!dayMatches(local)) {
        local = local.truncatedTo(ChronoUnit.DAYS).plusDays(1);
        continue;
      }
      if (!schedule.hours().get(local.getHour())) {
        local = local.truncatedTo(ChronoUnit.HOURS).plusHours(1);
        continue;
      }
      if (!schedule.minutes().get(local.getMinute())) {
        local = local.plusMinutes(1);
        continue;
      }
      Instant at = ZonedDateTime.of(local, zone).toInstant();
      if (at.isAfter(after)) {
        return Optional.of(at);
      }
      local = local.plusMinutes(1);
    }
    return Optional.empty();
  }

  private boolean dayMatches(LocalDateTime t) {
    boolean dom = schedule.daysOfMonth().get(t.getDayOfMonth());
    boolean dow = schedule.daysOfWeek().get(t.getDayOfWeek().getValue() % 7);
    if (schedule.domStar() || schedule.dowStar()) {
      return dom && dow;
    }
    return dom || dow;
  }
}
