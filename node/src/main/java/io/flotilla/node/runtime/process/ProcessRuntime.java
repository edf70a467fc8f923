package io.flotilla.node.runtime.process;

import io.flotilla.node.runtime.ContainerConfig;
import io.flotilla.node.runtime.ContainerEvent;
import io.flotilla.node.runtime.ContainerStatus;
import io.flotilla.node.runtime.ContainerUsage;
import io.flotilla.node.runtime.ExecResult;
import io.flotilla.node.runtime.PodSandboxConfig;
import io.flotilla.node.runtime.PodSandboxStatus;
import io.flotilla.node.runtime.PortStream;
import io.flotilla.node.runtime.Runtime;
import io.flotilla.node.runtime.RuntimeVersion;
import io.flotilla.node.runtime.StreamOptions;
import io.flotilla.node.runtime.StreamSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Runs each container as a plain host process: no images (the image is ignored unless it names a
 * local directory, which then is the default working directory), no network of its own (every pod
 * has the node's host IP, like {@code hostNetwork: true}), volumes as host directories bind-mounted
 * at their mountPaths in a per-container mount namespace when the agent runs as root (see {@link
 * Launch}), output in CRI log files, exec as a child process (in the container's mount namespace
 * through {@code nsenter}). A sandbox is only a directory ({@code DATA/sandboxes/<id>}) and a
 * record.
 *
 * <p>Threading: thread-safe; sandboxes and containers live in concurrent maps, each container
 * guards its own state ({@link ProcessContainer}). STOPPED events are sent from the thread that saw
 * the process exit.
 */
public final class ProcessRuntime implements Runtime {
  /** What {@link #version()} reports. */
  public static final RuntimeVersion VERSION = new RuntimeVersion("process", "0.1.0");

  private final Path dataDir;
  private final Clock clock;
  private final String hostIp;
  private final boolean unshare;
  private final ConcurrentHashMap<String, Sandbox> sandboxes = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ProcessContainer> containers = new ConcurrentHashMap<>();
  private final ProcessUsage usage = new ProcessUsage(Path.of("/proc"));
  private final CopyOnWriteArrayList<Consumer<ContainerEvent>> listeners =
      new CopyOnWriteArrayList<>();

  private record Sandbox(
      String id, PodSandboxConfig config, Path dir, Instant createdAt, boolean[] stopped) {}

  /**
   * @param dataDir where sandbox directories and (by default) logs go
   * @param hostIp the address every pod reports (the node's InternalIP)
   */
  public ProcessRuntime(Path dataDir, Clock clock, String hostIp) {
    this(dataDir, clock, hostIp, Launch.canUnshare());
  }

  ProcessRuntime(Path dataDir, Clock clock, String hostIp, boolean unshare) {
    this.dataDir = dataDir;
    this.clock = clock;
    this.hostIp = hostIp;
    this.unshare = unshare;
    reapOrphans();
  }

  /**
   * Kills what a previous agent on this data dir left running (it died without stopping its
   * containers) and removes its sandboxes: the agent starts its pods afresh. A recorded process is
   * killed only if its pid still belongs to a process started at the recorded instant.
   */
  private void reapOrphans() {
    Path root = dataDir.resolve("sandboxes");
    if (!Files.isDirectory(root)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      for (Path f : walk.filter(p -> p.toString().endsWith(".pid")).toList()) {
        String[] rec = Files.readString(f).trim().split(" ");
        long pid = Long.parseLong(rec[0]);
        long started = Long.parseLong(rec[1]);
        ProcessHandle.of(pid)
            .filter(
                h -> h.info().startInstant().map(i -> i.toEpochMilli() == started).orElse(false))
            .ifPresent(h -> ProcessContainer.signalGroup(pid, "KILL"));
      }
    } catch (IOException | RuntimeException e) {
      // A damaged record: nothing to kill from it.
    }
    deleteTree(root);
  }

  @Override
  public RuntimeVersion version() {
    return VERSION;
  }

  @Override
  public void updatePodCidr(String podCidr) {
    // Pods share the host's network: the pod CIDR assigns nothing here.
  }

  @Override
  public String runPodSandbox(PodSandboxConfig config) {
    String id = newId();
    Path dir = dataDir.resolve("sandboxes").resolve(id);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create sandbox directory " + dir, e);
    }
    sandboxes.put(id, new Sandbox(id, config, dir, clock.instant(), new boolean[1]));
    return id;
  }

  @Override
  public void stopPodSandbox(String sandboxId) {
    Sandbox s = sandboxes.get(sandboxId);
    if (s == null) {
      return;
    }
    // CRI: containers get no grace here; the agent stops them gracefully before.
    inSandbox(sandboxId).parallelStream().forEach(c -> c.stop(Duration.ofSeconds(2)));
    synchronized (s) {
      s.stopped()[0] = true;
    }
  }

  @Override
  public void removePodSandbox(String sandboxId) {
    Sandbox s = sandboxes.get(sandboxId);
    if (s == null) {
      return;
    }
    stopPodSandbox(sandboxId);
    for (ProcessContainer c : inSandbox(sandboxId)) {
      removeContainer(c.id);
    }
    sandboxes.remove(sandboxId);
    deleteTree(s.dir());
  }

  @Override
  public PodSandboxStatus podSandboxStatus(String sandboxId) {
    Sandbox s = sandboxes.get(sandboxId);
    if (s == null) {
      return null;
    }
    boolean stopped;
    synchronized (s) {
      stopped = s.stopped()[0];
    }
    return new PodSandboxStatus(
        s.id(),
        s.config().name(),
        s.config().namespace(),
        s.config().uid(),
        stopped ? PodSandboxStatus.State.NOTREADY : PodSandboxStatus.State.READY,
        hostIp,
        s.createdAt());
  }

  @Override
  public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sb) {
    Sandbox s = sandboxes.get(sandboxId);
    if (s == null) {
      throw new IllegalStateException("no sandbox " + sandboxId);
    }
    if (config.securityContext().runAsNonRoot() && config.securityContext().runAsUser() == null) {
      // No image user here: the process would run as the agent's user, which kubelet treats as
      // root when the image names none.
      throw new io.flotilla.node.runtime.ContainerConfigException(
          "container has runAsNonRoot and image will run as root (pod: \""
              + sb.name()
              + "_"
              + sb.namespace()
              + "("
              + sb.uid()
              + ")\", container: "
              + config.name()
              + "): the process runtime has no image user, set securityContext.runAsUser");
    }
    String id = newId();
    Path logDir =
        s.config().logDirectory().isEmpty()
            ? s.dir().resolve("logs")
            : Path.of(s.config().logDirectory());
    String rel =
        config.logPath().isEmpty()
            ? config.name() + "/" + config.attempt() + ".log"
            : config.logPath();
    ProcessContainer c = new ProcessContainer(id, sandboxId, config, logDir.resolve(rel), clock);
    containers.put(id, c);
    emit(c, ContainerEvent.Type.CREATED);
    return id;
  }

  @Override
  public void startContainer(String containerId) {
    ProcessContainer c = require(containerId);
    Sandbox s = sandboxes.get(c.sandboxId);
    try {
      Path work = s.dir().resolve("containers").resolve(c.config.name());
      Path ready = s.dir().resolve("ready").resolve(c.id);
      Launch l = Launch.of(c.config, work, unshare, ready);
      c.start(l, () -> emit(c, ContainerEvent.Type.STOPPED));
      recordPid(s, c);
      if (l.namespaced()) {
        awaitMounts(c, ready);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start container " + c.config.name() + ": " + e.getMessage(), e);
    }
    emit(c, ContainerEvent.Type.STARTED);
  }

  /**
   * Returns once the container's mount script has made its mounts (or the process ended, or 30 s
   * passed), so that what runs next in its namespace (postStart, probes) sees the volumes, as after
   * runc's start. Polls: the script has no other way to tell.
   */
  private static void awaitMounts(ProcessContainer c, Path ready) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    try {
      while (!Files.exists(ready) && c.running() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      Files.deleteIfExists(ready);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // The marker stays; it is in the sandbox directory, removed with it.
    }
  }

  private static void recordPid(Sandbox s, ProcessContainer c) throws IOException {
    long pid = c.pid();
    var started = ProcessHandle.of(pid).flatMap(h -> h.info().startInstant());
    if (pid > 0 && started.isPresent()) {
      Path f = s.dir().resolve("pids").resolve(c.id + ".pid");
      Files.createDirectories(f.getParent());
      Files.writeString(f, pid + " " + started.get().toEpochMilli() + "\n");
    }
  }

  @Override
  public void stopContainer(String containerId, Duration timeout) {
    ProcessContainer c = containers.get(containerId);
    if (c != null) {
      c.stop(timeout);
    }
  }

  @Override
  public void removeContainer(String containerId) {
    ProcessContainer c = containers.get(containerId);
    if (c == null) {
      return;
    }
    c.stop(Duration.ZERO);
    containers.remove(containerId);
    emit(c, ContainerEvent.Type.DELETED);
  }

  @Override
  public List<ContainerStatus> listContainers(String sandboxId) {
    List<ContainerStatus> out = new ArrayList<>();
    for (ProcessContainer c : inSandbox(sandboxId)) {
      out.add(c.status());
    }
    out.sort(Comparator.comparingInt(ContainerStatus::attempt));
    return out;
  }

  @Override
  public boolean supportsExec() {
    return true;
  }

  @Override
  public ExecResult execSync(String containerId, List<String> command, Duration timeout) {
    ProcessContainer c = require(containerId);
    Launch l = c.launch();
    long pid = c.pid();
    if (!c.running() || l == null) {
      throw new IllegalStateException("container " + c.config.name() + " is not running");
    }
    List<String> argv = new ArrayList<>();
    if (l.namespaced()) {
      argv.addAll(List.of("/usr/bin/nsenter", "-t", Long.toString(pid), "-m", "--"));
    }
    argv.addAll(Launch.asUser(c.config.securityContext(), unshare));
    argv.addAll(command);
    return Exec.run(argv, l.workingDir(), l.env(), timeout);
  }

  @Override
  public StreamSession exec(String containerId, List<String> command, StreamOptions options) {
    ProcessContainer c = require(containerId);
    Launch l = c.launch();
    long pid = c.pid();
    if (!c.running() || l == null) {
      throw new IllegalStateException("container " + c.config.name() + " is not running");
    }
    if (command.isEmpty()) {
      throw new IllegalArgumentException("exec needs a command");
    }
    List<String> argv = new ArrayList<>();
    if (l.namespaced()) {
      argv.addAll(List.of("/usr/bin/nsenter", "-t", Long.toString(pid), "-m", "--"));
    }
    argv.addAll(Launch.asUser(c.config.securityContext(), unshare));
    argv.addAll(command);
    return ExecSession.start(argv, l.workingDir(), l.env(), options);
  }

  @Override
  public StreamSession attach(String containerId, StreamOptions options) {
    return require(containerId).attach(options);
  }

  /** Pods share the host's network: a TCP connection to 127.0.0.1:port. */
  @Override
  public PortStream portForward(String sandboxId, int port) {
    if (!sandboxes.containsKey(sandboxId)) {
      throw new IllegalStateException("no sandbox " + sandboxId);
    }
    return SocketPortStream.connect(port);
  }

  /** Where a container's log file is, for tests and the log streaming to come. */
  public Path logFile(String containerId) {
    return require(containerId).logFile;
  }

  /** {@code <pod>/<container>} of every container whose process runs, for tests and diagnostics. */
  public List<String> runningContainers() {
    List<String> out = new ArrayList<>();
    for (ProcessContainer c : containers.values()) {
      Sandbox s = sandboxes.get(c.sandboxId);
      if (c.running() && s != null) {
        out.add(s.config().name() + "/" + c.config.name());
      }
    }
    return out;
  }

  /** CPU and memory of each running container's process tree, read from /proc. */
  @Override
  public List<ContainerUsage> containerStats() {
    List<ProcessUsage.Target> targets = new ArrayList<>();
    for (ProcessContainer c : containers.values()) {
      long pid = c.pid();
      if (c.running() && pid > 0) {
        targets.add(new ProcessUsage.Target(c.id, c.sandboxId, c.config.name(), pid));
      }
    }
    return usage.measure(targets);
  }

  @Override
  public AutoCloseable containerEvents(Consumer<ContainerEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Kills every container still running; the agent is going away. */
  @Override
  public void close() {
    containers.values().parallelStream().forEach(c -> c.stop(Duration.ofSeconds(1)));
  }

  private ProcessContainer require(String id) {
    ProcessContainer c = containers.get(id);
    if (c == null) {
      throw new IllegalStateException("no container " + id);
    }
    return c;
  }

  private List<ProcessContainer> inSandbox(String sandboxId) {
    return containers.values().stream().filter(c -> c.sandboxId.equals(sandboxId)).toList();
  }

  private void emit(ProcessContainer c, ContainerEvent.Type type) {
    Sandbox s = sandboxes.get(c.sandboxId);
    if (s == null) {
      return;
    }
    ContainerEvent e =
        new ContainerEvent(c.id, type, s.config().namespace(), s.config().name(), s.config().uid());
    for (Consumer<ContainerEvent> l : listeners) {
      l.accept(e);
    }
  }

  private static String newId() {
    byte[] b = new byte[16];
    ThreadLocalRandom.current().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // Left for the next cleanup; nothing depends on it.
                }
              });
    } catch (IOException e) {
      // Same.
    }
  }
}
