package io.flotilla.node.server;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The query of {@code GET /containerLogs/{ns}/{pod}/{container}} (PodLogOptions): {@code follow},
 * {@code previous}, {@code timestamps}, {@code tailLines}, {@code sinceSeconds}, {@code sinceTime},
 * {@code limitBytes}. Invalid values are a 400 naming the parameter, as the API server validates.
 */
record LogOptions(
    boolean follow,
    boolean previous,
    boolean timestamps,
    long tailLines,
    Instant since,
    long limitBytes) {

  /** {@code since} resolved against {@code now} for sinceSeconds. */
  static LogOptions parse(QueryStringDecoder q, Instant now) {
    long tail = number(q, "tailLines", 0);
    long sinceSeconds = number(q, "sinceSeconds", 1);
    long limit = number(q, "limitBytes", 1);
    String sinceTime = first(q, "sinceTime");
    if (sinceSeconds >= 0 && sinceTime != null) {
      throw new KubeletException(400, "at most one of sinceTime or sinceSeconds may be specified");
    }
    Instant since = null;
    if (sinceSeconds >= 0) {
      since = now.minusSeconds(sinceSeconds);
    } else if (sinceTime != null) {
      try {
        since = Instant.parse(sinceTime);
      } catch (DateTimeParseException e) {
        throw new KubeletException(
            400, "sinceTime " + sinceTime + " is not an RFC3339 time (e.g. 2026-01-02T15:04:05Z)");
      }
    }
    return new LogOptions(
        bool(q, "follow"), bool(q, "previous"), bool(q, "timestamps"), tail, since, limit);
  }

  static boolean bool(QueryStringDecoder q, String name) {
    String v = first(q, name);
    if (v == null) {
      return false;
    }
    return switch (v) {
      case "1", "t", "T", "true", "TRUE", "True", "" -> true;
      case "0", "f", "F", "false", "FALSE", "False" -> false;
      default -> throw new KubeletException(400, name + "=" + v + " is not a boolean (true/false)");
    };
  }

  /** The non-negative value of the parameter ({@code min} at least), or -1 when absent. */
  private static long number(QueryStringDecoder q, String name, long min) {
    String v = first(q, name);
    if (v == null) {
      return -1;
    }
    try {
      long n = Long.parseLong(v);
      if (n < min) {
        throw new KubeletException(
            400, name + " must be " + (min == 0 ? "non-negative" : "positive") + ", not " + v);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new KubeletException(400, name + "=" + v + " is not a whole number");
    }
  }

  static String first(QueryStringDecoder q, String name) {
    List<String> v = q.parameters().get(name);
    return v == null || v.isEmpty() ? null : v.getFirst();
  }
}
