package io.flotilla.api;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Human durations as kubectl prints them ("5s", "3m20s", "2d4h"). */
public final class Durations {
  private Durations() {}

  /** The age of an RFC 3339 timestamp at {@code now}, or "<unknown>". */
  public static String age(String timestamp, Instant now) {
    if (timestamp == null || timestamp.isEmpty()) {
      return "<unknown>";
    }
    try {
      return human(Duration.between(Instant.parse(timestamp), now));
    } catch (DateTimeParseException e) {
      return "<invalid>";
    }
  }

  /** A duration the way upstream's HumanDuration prints it. */
  public static String human(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < 0) {
      seconds = 0;
    }
    if (seconds < 120) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    }
    if (minutes < 180) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    }
    if (hours < 48) {
      return hours + "h";
    }
    long days = hours / 24;
    if (days < 8) {
      long h = hours % 24;
      return h == 0 ? days + "d" : days + "d" + h + "h";
    }
    if (days < 365 * 2) {
      return days + "d";
    }
    long years = days / 365;
    if (years < 8) {
      long dd = days % 365;
      return dd == 0 ? years + "y" : years + "y" + dd + "d";
    }
    return years + "y";
  }
}
