package io.flotilla.api.protobuf;

import java.math.BigDecimal;

/**
 * Go's {@code time.Duration} text form, used by {@code meta/v1 Duration} in JSON: "1h2m3.5s",
 * "500ms", "0s".
 */
final class GoDurations {
  private GoDurations() {}

  private static final long MICRO = 1_000L;
  private static final long MILLI = 1_000_000L;
  private static final long SECOND = 1_000_000_000L;
  private static final long MINUTE = 60 * SECOND;
  private static final long HOUR = 60 * MINUTE;

  static String format(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    String sign = nanos < 0 ? "-" : "";
    // Long.MIN_VALUE has no positive counterpart; BigDecimal keeps the arithmetic exact.
    BigDecimal u = BigDecimal.valueOf(nanos).abs();
    if (u.compareTo(BigDecimal.valueOf(SECOND)) < 0) {
      if (u.compareTo(BigDecimal.valueOf(MICRO)) < 0) {
        return sign + u.toPlainString() + "ns";
      }
      if (u.compareTo(BigDecimal.valueOf(MILLI)) < 0) {
        return sign + decimal(u, MICRO) + "µs";
      }
      return sign + decimal(u, MILLI) + "ms";
    }
    BigDecimal[] hours = u.divideAndRemainder(BigDecimal.valueOf(HOUR));
    BigDecimal[] minutes = hours[1].divideAndRemainder(BigDecimal.valueOf(MINUTE));
    StringBuilder out = new StringBuilder(sign);
    if (hours[0].signum() > 0) {
      out.append(hours[0].toPlainString()).append('h');
    }
    if (hours[0].signum() > 0 || minutes[0].signum() > 0) {
      out.append(minutes[0].toPlainString()).append('m');
    }
    return out.append(decimal(minutes[1], SECOND)).append('s').toString();
  }

  /** Parses a Go duration ("1h30m", "-2.5s", "300ms", "0"); throws on anything else. */
  static long parse(String text) {
    String s = text.strip();
    boolean negative = s.startsWith("-");
    if (negative || s.startsWith("+")) {
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("invalid duration \"" + text + "\"");
    }
    BigDecimal total = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      if (start == unitStart || unitStart == i) {
        throw new IllegalArgumentException("invalid duration \"" + text + "\"");
      }
      BigDecimal number = new BigDecimal(s.substring(start, unitStart));
      total = total.add(number.multiply(BigDecimal.valueOf(unit(s.substring(unitStart, i), text))));
    }
    long nanos = total.longValue();
    return negative ? -nanos : nanos;
  }

  private static long unit(String unit, String text) {
    return switch (unit) {
      case "ns" -> 1;
      case "us", "µs", "μs" -> MICRO;
      case "ms" -> MILLI;
      case "s" -> SECOND;
      case "m" -> MINUTE;
      case "h" -> HOUR;
      default ->
          throw new IllegalArgumentException(
              "unknown unit \"" + unit + "\" in duration \"" + text + "\"");
    };
  }

  private static String decimal(BigDecimal value, long unit) {
    BigDecimal scaled = value.divide(BigDecimal.valueOf(unit));
    return scaled.signum() == 0 ? "0" : scaled.stripTrailingZeros().toPlainString();
  }
}
