package io.flotilla.node.runtime.process;

import io.flotilla.node.runtime.StreamOptions;
import io.flotilla.node.runtime.StreamSession;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An exec session of the process runtime: a child process (in the container's mount namespace, as
 * its user, with its env and working directory) whose pipes are the session's streams. With a
 * terminal the command runs under util-linux {@code script}, which gives it a pseudo-terminal; a
 * resize sets that terminal's size with {@code stty} and signals the command (best effort).
 *
 * <p>Threading: see {@link StreamSession}; {@link #resize} and {@link #close} are safe from any
 * thread.
 */
final class ExecSession implements StreamSession {
  static final String SCRIPT = "/usr/bin/script";

  private final Process process;
  private final StreamOptions options;
  private final CompletableFuture<Integer> exit;

  private ExecSession(Process process, StreamOptions options) {
    this.process = process;
    this.options = options;
    this.exit = process.onExit().thenApply(Process::exitValue);
  }

  static ExecSession start(
      List<String> argv, Path dir, Map<String, String> env, StreamOptions options) {
    List<String> cmd = argv;
    if (options.tty()) {
      StringBuilder line = new StringBuilder();
      for (String a : argv) {
        line.append(line.isEmpty() ? "" : " ")
            .append("'")
            .append(a.replace("'", "'\\''"))
            .append("'");
      }
      cmd = new ArrayList<>(List.of(SCRIPT, "-q", "-f", "-e", "-c", line.toString(), "/dev/null"));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    if (options.tty()) {
      pb.environment().put("SHELL", "/bin/sh");
      pb.environment().putIfAbsent("TERM", "xterm");
    }
    File devNull = new File("/dev/null");
    if (!options.stdin()) {
      pb.redirectInput(ProcessBuilder.Redirect.from(devNull));
    }
    if (!options.stdout()) {
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    if (!options.stderr()) {
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    }
    try {
      return new ExecSession(pb.start(), options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + argv + ": " + e.getMessage(), e);
    }
  }

  @Override
  public OutputStream stdin() {
    return options.stdin() ? process.getOutputStream() : null;
  }

  @Override
  public InputStream stdout() {
    return options.stdout() ? process.getInputStream() : null;
  }

  @Override
  public InputStream stderr() {
    return options.stderr() ? process.getErrorStream() : null;
  }

  @Override
  public void resize(int width, int height) {
    if (!options.tty() || width <= 0 || height <= 0) {
      return;
    }
    // script's child is the session leader on the terminal; its stdin is the terminal's slave. A
    // client sends its size at once, before script may have started the child: wait a little.
    for (int i = 0; i < 200 && process.isAlive(); i++) {
      var child = process.children().findFirst();
      if (child.isPresent()) {
        try {
          Path tty = Files.readSymbolicLink(Path.of("/proc/" + child.get().pid() + "/fd/0"));
          if (tty.toString().startsWith("/dev/pts/")) {
            run("/usr/bin/stty", "-F", tty.toString(), "cols", "" + width, "rows", "" + height);
            run("/usr/bin/kill", "-s", "WINCH", "" + child.get().pid());
            return;
          }
        } catch (IOException e) {
          // Not set up yet, or gone; look again.
        }
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void run(String... argv) {
    try {
      Process p =
          new ProcessBuilder(argv)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // Best effort: the size stays.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public CompletableFuture<Integer> exit() {
    return exit;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // Gone with the process.
    }
  }
}
