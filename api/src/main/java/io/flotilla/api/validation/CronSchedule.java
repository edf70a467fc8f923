package io.flotilla.api.validation;

import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed standard cron schedule (minute hour day-of-month month day-of-week), as CronJobs use:
 * lists, ranges, steps, '*' and '?', month and weekday names, and the descriptors @yearly,
 * {@literal @}annually, @monthly, @weekly, @daily, @midnight and @hourly. Immutable.
 *
 * @param minutes the minutes (0-59) the schedule fires in
 * @param hours the hours (0-23)
 * @param daysOfMonth the days of the month (1-31)
 * @param months the months (1-12)
 * @param daysOfWeek the days of the week (0-6, Sunday is 0)
 * @param domStar whether day-of-month was '*' or '?' (then only day-of-week restricts days)
 * @param dowStar whether day-of-week was '*' or '?'
 */
public record CronSchedule(
    BitSet minutes,
    BitSet hours,
    BitSet daysOfMonth,
    BitSet months,
    BitSet daysOfWeek,
    boolean domStar,
    boolean dowStar) {

  private static final Map<String, String> DESCRIPTORS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");
  private static final List<String> MONTHS =
      List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
  private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");

  public CronSchedule {
    minutes = (BitSet) minutes.clone();
    hours = (BitSet) hours.clone();
    daysOfMonth = (BitSet) daysOfMonth.clone();
    months = (BitSet) months.clone();
    daysOfWeek = (BitSet) daysOfWeek.clone();
  }

  /** Parses a schedule; throws IllegalArgumentException saying what is wrong. */
  public static CronSchedule parse(String spec) {
    String s = spec.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty spec string");
    }
    if (s.startsWith("@")) {
      String expanded = DESCRIPTORS.get(s.toLowerCase(Locale.ROOT));
      if (expanded == null) {
        throw new IllegalArgumentException("unrecognized descriptor: " + s);
      }
      s = expanded;
    }
    String[] f = s.split("\\s+");
    if (f.length != 5) {
      throw new IllegalArgumentException(
          "expected exactly 5 fields, found " + f.length + ": [" + String.join(" ", f) + "]");
    }
    return new CronSchedule(
        field(f[0], 0, 59, List.of()),
        field(f[1], 0, 23, List.of()),
        field(f[2], 1, 31, List.of()),
        field(f[3], 1, 12, MONTHS),
        field(f[4], 0, 6, DAYS),
        isStar(f[2]),
        isStar(f[4]));
  }

  private static boolean isStar(String f) {
    return f.startsWith("*") || f.startsWith("?");
  }

  /** One field: comma-separated ranges, each "*", "?", "a", "a-b", with an optional "/step". */
  private static BitSet field(String field, int min, int max, List<String> names) {
    BitSet bits = new BitSet();
    for (String part : field.split(",", -1)) {
      String range = part;
      int step = 1;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        range = part.substring(0, slash);
        step = number(part.substring(slash + 1), List.of(), part);
        if (step <= 0) {
          throw new IllegalArgumentException("step of range should be a positive number: " + part);
        }
      }
      int lo;
      int hi;
      if (range.equals("*") || range.equals("?")) {
        lo = min;
        hi = max;
      } else {
        int dash = range.indexOf('-');
        lo = number(dash < 0 ? range : range.substring(0, dash), names, part);
        hi = dash < 0 ? (slash >= 0 ? max : lo) : number(range.substring(dash + 1), names, part);
      }
      if (lo < min) {
        throw new IllegalArgumentException(
            "beginning of range (" + lo + ") below minimum (" + min + "): " + part);
      }
      if (hi > max) {
        throw new IllegalArgumentException(
            "end of range (" + hi + ") above maximum (" + max + "): " + part);
      }
      if (lo > hi) {
        throw new IllegalArgumentException(
            "beginning of range (" + lo + ") beyond end of range (" + hi + "): " + part);
      }
      for (int v = lo; v <= hi; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int number(String s, List<String> names, String part) {
    int named = names.indexOf(s.toLowerCase(Locale.ROOT));
    if (named >= 0) {
      return names == MONTHS ? named + 1 : named;
    }
    if (!s.matches("[0-9]{1,9}")) {
      throw new IllegalArgumentException("failed to parse int from " + s + ": " + part);
    }
    return Integer.parseInt(s);
  }
}
