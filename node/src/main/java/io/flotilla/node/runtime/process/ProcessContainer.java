package io.flotilla.node.runtime.process;

import io.flotilla.node.runtime.ContainerConfig;
import io.flotilla.node.runtime.ContainerStatus;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One container of the process runtime: created (nothing runs), running (a host process that leads
 * its own process group, its output pumped into the CRI log file) or exited (exit code, finish
 * time, reason {@code Completed} or {@code Error}). Stopping sends SIGTERM to the whole process
 * group, then SIGKILL after the grace period; when the main process exits on its own, what is left
 * of its group is killed too, as a container's PID namespace would be.
 *
 * <p>Threading: state changes under this object's monitor; two platform threads pump stdout and
 * stderr (a read of a process pipe pins a virtual thread's carrier: two containers would otherwise
 * hold every carrier of a 2-core machine and starve all virtual threads); the exit is observed on a
 * virtual thread, which then calls {@code onExit}.
 */
final class ProcessContainer {
  final String id;
  final String sandboxId;
  final ContainerConfig config;
  final Path logFile;
  final Instant createdAt;
  private final Clock clock;
  private ContainerStatus.State state = ContainerStatus.State.CREATED;
  private Instant startedAt;
  private Instant finishedAt;
  private int exitCode;
  private String reason = "";
  private Process process;
  private Launch launch;
  private java.io.OutputStream stdinPipe;
  private final java.util.concurrent.CopyOnWriteArrayList<AttachSession> attached =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  ProcessContainer(String id, String sandboxId, ContainerConfig config, Path logFile, Clock clock) {
    this.id = id;
    this.sandboxId = sandboxId;
    this.config = config;
    this.logFile = logFile;
    this.clock = clock;
    this.createdAt = clock.instant();
  }

  synchronized void start(Launch l, Runnable onExit) throws IOException {
    if (state != ContainerStatus.State.CREATED) {
      throw new IllegalStateException("container " + id + " was started already");
    }
    CriLogWriter log = new CriLogWriter(logFile, clock);
    ProcessBuilder pb = new ProcessBuilder(l.argv()).directory(l.workingDir().toFile());
    pb.environment().clear();
    pb.environment().putAll(l.env());
    boolean keepStdin =
        "true"
            .equals(
                config.annotations().get(io.flotilla.node.pod.ContainerConfigs.STDIN_ANNOTATION));
    if (!keepStdin) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    log.tap(this::fanOut);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      log.close();
      throw e;
    }
    process = p;
    launch = l;
    stdinPipe = keepStdin ? p.getOutputStream() : null;
    startedAt = clock.instant();
    state = ContainerStatus.State.RUNNING;
    Thread out = Thread.ofPlatform().daemon().start(() -> log.pump(p.getInputStream(), "stdout"));
    Thread err = Thread.ofPlatform().daemon().start(() -> log.pump(p.getErrorStream(), "stderr"));
    Thread.ofVirtual()
        .name("flotilla-proc-wait-" + id)
        .start(
            () -> {
              int code = waitFor(p);
              signalGroup(p.pid(), "KILL");
              join(out);
              join(err);
              log.close();
              exited(code);
              for (AttachSession a : attached) {
                a.ended(code);
              }
              onExit.run();
            });
  }

  private synchronized void exited(int code) {
    exitCode = code;
    finishedAt = clock.instant();
    reason = code == 0 ? "Completed" : "Error";
    state = ContainerStatus.State.EXITED;
    notifyAll();
  }

  /** SIGTERM to the group, SIGKILL after {@code grace}; returns once the process is gone. */
  void stop(Duration grace) {
    Process p;
    synchronized (this) {
      if (state != ContainerStatus.State.RUNNING) {
        if (state == ContainerStatus.State.CREATED) {
          state = ContainerStatus.State.EXITED;
          finishedAt = clock.instant();
          reason = "Error";
          exitCode = 128 + 9;
        }
        return;
      }
      p = process;
    }
    signalGroup(p.pid(), "TERM");
    try {
      if (!p.waitFor(Math.max(grace.toMillis(), 0), TimeUnit.MILLISECONDS)) {
        signalGroup(p.pid(), "KILL");
        p.destroyForcibly();
      }
      synchronized (this) {
        while (state == ContainerStatus.State.RUNNING) {
          wait(1000);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void fanOut(String stream, byte[] bytes) {
    for (AttachSession a : attached) {
      a.output(stream, bytes);
    }
  }

  /** A new attach session: the output from now on, and stdin when the container keeps one. */
  synchronized AttachSession attach(io.flotilla.node.runtime.StreamOptions o) {
    if (state != ContainerStatus.State.RUNNING) {
      throw new IllegalStateException("container " + config.name() + " is not running");
    }
    AttachSession a = new AttachSession(o, o.stdin() ? stdinPipe : null, attached::remove);
    attached.add(a);
    return a;
  }

  synchronized ContainerStatus status() {
    return new ContainerStatus(
        id,
        sandboxId,
        config.name(),
        config.attempt(),
        config.image(),
        config.image(),
        state,
        createdAt,
        startedAt,
        finishedAt,
        exitCode,
        reason);
  }

  synchronized boolean running() {
    return state == ContainerStatus.State.RUNNING;
  }

  synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  synchronized Launch launch() {
    return launch;
  }

  /** Signals the process group {@code pgid} (the container's main process leads it). */
  static void signalGroup(long pgid, String signal) {
    try {
      Process k =
          new ProcessBuilder(List.of("/usr/bin/kill", "-s", signal, "--", "-" + pgid))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      k.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      // kill(1) missing: fall back to the main process alone.
      ProcessHandle.of(pgid).ifPresent(h -> h.destroy());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int waitFor(Process p) {
    while (true) {
      try {
        return p.waitFor();
      } catch (InterruptedException e) {
        // Keep waiting: the exit must be recorded.
      }
    }
  }

  private static void join(Thread t) {
    try {
      t.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
