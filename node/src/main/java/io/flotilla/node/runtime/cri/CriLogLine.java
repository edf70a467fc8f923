package io.flotilla.node.runtime.cri;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One line of a container log file in the CRI log format, as containerd writes it at the sandbox's
 * {@code log_directory} plus the container's {@code log_path}: {@code <RFC 3339 nano timestamp>
 * <stdout|stderr> <F|P> <content>}, where {@code F} ends a line and {@code P} marks a part of a
 * line the runtime split because it was long. CRI has no log RPC; {@code kubectl logs} is served by
 * reading these files.
 */
public record CriLogLine(Instant time, Stream stream, boolean partial, String content) {

  /** The stream a line was written to. */
  public enum Stream {
    STDOUT,
    STDERR
  }

  /**
   * Parses one line, without its trailing newline.
   *
   * @throws IllegalArgumentException when the line is not in the CRI log format, with the reason
   */
  public static CriLogLine parse(String line) {
    int first = line.indexOf(' ');
    int second = first < 0 ? -1 : line.indexOf(' ', first + 1);
    if (second < 0) {
      throw bad(line, "expected <timestamp> <stream> <tag> <content>");
    }
    int third = line.indexOf(' ', second + 1);
    String tag = third < 0 ? line.substring(second + 1) : line.substring(second + 1, third);
    String content = third < 0 ? "" : line.substring(third + 1);
    Instant time;
    try {
      time = Instant.parse(line.substring(0, first));
    } catch (DateTimeParseException e) {
      throw bad(line, "the timestamp is not RFC 3339");
    }
    Stream stream =
        switch (line.substring(first + 1, second)) {
          case "stdout" -> Stream.STDOUT;
          case "stderr" -> Stream.STDERR;
          default -> throw bad(line, "the stream must be stdout or stderr");
        };
    // The tag may carry more flags after ':' in later CRI versions; the first one is F or P.
    String kind = tag.split(":", 2)[0];
    boolean partial =
        switch (kind) {
          case "F" -> false;
          case "P" -> true;
          default -> throw bad(line, "the tag must be F (full line) or P (partial line)");
        };
    return new CriLogLine(time, stream, partial, content);
  }

  private static IllegalArgumentException bad(String line, String why) {
    String shown = line.length() > 120 ? line.substring(0, 120) + "…" : line;
    return new IllegalArgumentException("Not a CRI log line (" + why + "): " + shown);
  }
}
