package io.flotilla.node.runtime.process;

import io.flotilla.node.runtime.ExecResult;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion with a deadline and collects its output (ExecSync). */
final class Exec {
  private static final int MAX_OUTPUT = 16 * 1024 * 1024;

  private Exec() {}

  static ExecResult run(List<String> argv, Path dir, Map<String, String> env, Duration timeout) {
    ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      // As runc reports a missing executable: exit code 127-like, the message in stderr.
      return new ExecResult(127, "", e.getMessage(), false);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread to = Thread.ofPlatform().daemon().start(() -> copy(p.getInputStream(), out));
    Thread te = Thread.ofPlatform().daemon().start(() -> copy(p.getErrorStream(), err));
    try {
      boolean done = p.waitFor(Math.max(timeout.toMillis(), 1), TimeUnit.MILLISECONDS);
      if (!done) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor();
      }
      to.join();
      te.join();
      return new ExecResult(
          done ? p.exitValue() : -1,
          out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8),
          !done);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + argv.getFirst(), e);
    }
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try (in) {
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) != -1) {
        if (out.size() < MAX_OUTPUT) {
          out.write(buf, 0, n);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
