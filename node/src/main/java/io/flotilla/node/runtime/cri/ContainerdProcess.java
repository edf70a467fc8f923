package io.flotilla.node.runtime.cri;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A containerd that Flotilla started itself (there is no systemd on the machines it targets), with
 * a {@link ContainerdConfig} under a directory it owns. {@link #start} returns once the CRI socket
 * answers; {@link #close} stops the daemon by its PID: SIGTERM, then SIGKILL after a grace period.
 * Stopping containerd does not stop the containers it ran (their shims outlive it): remove the
 * sandboxes first.
 *
 * <p>Threading: start and close from one thread; {@link #pid()} and the accessors from any.
 */
public final class ContainerdProcess implements AutoCloseable {
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final ContainerdConfig config;
  private final Process process;

  private ContainerdProcess(ContainerdConfig config, Process process) {
    this.config = config;
    this.process = process;
  }

  /**
   * Writes the config, starts {@code containerd} from the PATH (its log goes to {@code
   * containerd.log} in the config's directory) and waits up to {@code readyTimeout} until its CRI
   * service answers a Version call.
   *
   * @throws IllegalStateException when containerd exits or does not answer in time; the message
   *     carries the end of its log
   */
  public static ContainerdProcess start(ContainerdConfig config, Duration readyTimeout) {
    config.write();
    Path log = config.dir().resolve("containerd.log");
    ProcessBuilder pb =
        new ProcessBuilder("containerd", "--config", config.configFile().toString())
            .directory(config.dir().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // runc, the shim and the CNI plugins' helpers (iptables) live in the sbin directories too.
    Map<String, String> env = pb.environment();
    env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "Could not start containerd ("
              + e.getMessage()
              + "); install it with: apt-get install containerd runc containernetworking-plugins",
          e);
    }
    ContainerdProcess started = new ContainerdProcess(config, process);
    try {
      started.awaitReady(readyTimeout, log);
      return started;
    } catch (RuntimeException e) {
      started.close();
      throw e;
    }
  }

  private void awaitReady(Duration timeout, Path log) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "containerd exited with status "
                + process.exitValue()
                + "; its log ends:\n"
                + tail(log));
      }
      // The socket file appears before containerd serves on it; until Version answers, retry.
      if (Files.exists(config.socket()) && !Files.isDirectory(config.socket())) {
        try (CriClient client =
            CriClient.connect(config.socket(), Duration.ofSeconds(5), Duration.ofSeconds(5))) {
          client.version();
          return;
        } catch (CriException e) {
          last = e;
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for containerd", e);
      }
    }
    throw new IllegalStateException(
        "containerd did not answer on "
            + config.socket()
            + " within "
            + timeout
            + (last == null ? "" : " (" + last.getMessage() + ")")
            + "; its log ends:\n"
            + tail(log));
  }

  /** The config this containerd runs with. */
  public ContainerdConfig config() {
    return config;
  }

  /** The gRPC socket (CRI). */
  public Path socket() {
    return config.socket();
  }

  /** The daemon's process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the daemon is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the daemon by its PID: SIGTERM, then SIGKILL if it has not exited after 10 s. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ": " + new UncheckedIOException(e).getMessage() + ")";
    }
  }
}
