package io.flotilla.node.server;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * One record of a CRI container log file: {@code 2026-11-23T15:18:22.815198121Z stdout F hello};
 * {@code P} marks a partial line continued by the next record.
 */
record CriRecord(Instant time, String stream, boolean partial, String content) {
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  /** The record in {@code line} (without its newline), or null when it is not one. */
  static CriRecord parse(String line) {
    int a = line.indexOf(' ');
    int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
    int c = b < 0 ? -1 : line.indexOf(' ', b + 1);
    if (c < 0) {
      return null;
    }
    Instant t;
    try {
      t = Instant.parse(line.substring(0, a));
    } catch (DateTimeParseException e) {
      return null;
    }
    String tag = line.substring(b + 1, c);
    return new CriRecord(t, line.substring(a + 1, b), tag.equals("P"), line.substring(c + 1));
  }

  /** Go's RFC3339Nano: nanoseconds with trailing zeros dropped (none at all when zero), UTC "Z". */
  static String rfc3339Nano(Instant t) {
    StringBuilder s = new StringBuilder(SECONDS.format(t));
    int nanos = t.getNano();
    if (nanos != 0) {
      String f = String.format("%09d", nanos).replaceAll("0+$", "");
      s.append('.').append(f);
    }
    return s.append('Z').toString();
  }
}
