package io.flotilla.node.runtime.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.format.DateTimeFormatter;

/**
 * Writes a container's stdout and stderr to one file in the CRI log format, a line per line of
 * output: {@code 2026-11-23T15:18:22.815198121Z stdout F hello}. Lines longer than 16 KiB are split
 * into partial ({@code P}) records ending with a full ({@code F}) one, as containerd does.
 *
 * <p>Threading: one pump thread per stream calls {@link #pump}; writes are serialized on this
 * object so records never interleave.
 */
final class CriLogWriter implements AutoCloseable {
  private static final int MAX_LINE = 16 * 1024;
  private final Clock clock;
  private final OutputStream out;
  private volatile java.util.function.BiConsumer<String, byte[]> tap;

  CriLogWriter(Path file, Clock clock) throws IOException {
    Files.createDirectories(file.getParent());
    this.clock = clock;
    this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** Also hands every line written ({@code stdout} or {@code stderr}, bytes) to {@code tap}. */
  void tap(java.util.function.BiConsumer<String, byte[]> tap) {
    this.tap = tap;
  }

  /** Copies {@code in} line by line until it ends; called on its own thread per stream. */
  void pump(InputStream in, String stream) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      StringBuilder line = new StringBuilder();
      int ch;
      while ((ch = r.read()) != -1) {
        if (ch == '\n') {
          record(stream, "F", line);
          line.setLength(0);
        } else {
          line.append((char) ch);
          if (line.length() >= MAX_LINE) {
            record(stream, "P", line);
            line.setLength(0);
          }
        }
      }
      if (!line.isEmpty()) {
        record(stream, "F", line);
      }
    } catch (IOException e) {
      // The process went away with its pipe; what was read is written.
    }
  }

  private synchronized void record(String stream, String tag, CharSequence text)
      throws IOException {
    String rec =
        DateTimeFormatter.ISO_INSTANT.format(clock.instant())
            + " "
            + stream
            + " "
            + tag
            + " "
            + text
            + "\n";
    out.write(rec.getBytes(StandardCharsets.UTF_8));
    out.flush();
    var t = tap;
    if (t != null) {
      t.accept(
          stream,
          (tag.equals("F") ? text + "\n" : text.toString()).getBytes(StandardCharsets.UTF_8));
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      // Nothing left to flush.
    }
  }
}
