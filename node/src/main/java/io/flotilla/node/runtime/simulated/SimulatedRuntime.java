package io.flotilla.node.runtime.simulated;

import io.flotilla.node.runtime.ContainerConfig;
import io.flotilla.node.runtime.ContainerEvent;
import io.flotilla.node.runtime.ContainerStatus;
import io.flotilla.node.runtime.PodSandboxConfig;
import io.flotilla.node.runtime.PodSandboxStatus;
import io.flotilla.node.runtime.Runtime;
import io.flotilla.node.runtime.RuntimeVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A runtime for one simulated node that runs nothing: sandboxes get an IP from the node's pod CIDR,
 * containers move through created, running and exited in memory. Init containers exit with 0 as
 * soon as they start; app containers run until stopped, or, when the pod carries {@link
 * SimulatedAnnotations#EXIT_AFTER}, exit that long after they start with {@link
 * SimulatedAnnotations#EXIT_CODE}, emitting a STOPPED event.
 *
 * <p>Threading: thread-safe. Each sandbox is guarded by its own monitor; the timed exits run on the
 * {@link SimulatedHost}'s timer thread and only take that monitor. Kept small on purpose (a few
 * hundred bytes a pod) so one process can hold hundreds of thousands of pods.
 */
public final class SimulatedRuntime implements Runtime {
  /** What {@link #version()} reports. */
  public static final RuntimeVersion VERSION = new RuntimeVersion("simulated", "0.1.0");

  private final SimulatedHost host;
  private final ConcurrentHashMap<String, Sandbox> sandboxes = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Container> containers = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<Consumer<ContainerEvent>> listeners =
      new CopyOnWriteArrayList<>();
  private volatile PodIpPool ips;

  public SimulatedRuntime(SimulatedHost host) {
    this.host = host;
  }

  @Override
  public RuntimeVersion version() {
    return VERSION;
  }

  @Override
  public synchronized void updatePodCidr(String podCidr) {
    if (ips == null || !ips.cidr().equals(podCidr)) {
      ips = new PodIpPool(podCidr);
    }
  }

  @Override
  public String runPodSandbox(PodSandboxConfig config) {
    PodIpPool pool = ips;
    if (pool == null) {
      throw new IllegalStateException("no pod CIDR yet: call updatePodCidr before runPodSandbox");
    }
    Sandbox s =
        new Sandbox(
            host.nextId(),
            config.name(),
            config.namespace(),
            config.uid(),
            pool.allocate(),
            host.clock().millis(),
            SimulatedAnnotations.duration(config.annotations(), SimulatedAnnotations.EXIT_AFTER),
            SimulatedAnnotations.exitCode(config.annotations()));
    sandboxes.put(s.id, s);
    return s.id;
  }

  @Override
  public void stopPodSandbox(String sandboxId) {
    Sandbox s = sandboxes.get(sandboxId);
    if (s == null) {
      return;
    }
    List<Container> stopped = new ArrayList<>();
    synchronized (s) {
      for (Container c : s.containers) {
        if (c.exit(host.clock().millis(), 0, "Completed")) {
          stopped.add(c);
        }
      }
      if (s.ready) {
        s.ready = false;
        ips.release(s.ip);
      }
    }
    stopped.forEach(c -> emit(c, ContainerEvent.Type.STOPPED));
  }

  @Override
  public void removePodSandbox(String sandboxId) {
    stopPodSandbox(sandboxId);
    Sandbox s = sandboxes.remove(sandboxId);
    if (s != null) {
      synchronized (s) {
        s.containers.forEach(c -> containers.remove(c.id));
        s.containers.clear();
      }
    }
  }

  @Override
  public PodSandboxStatus podSandboxStatus(String sandboxId) {
    Sandbox s = sandboxes.get(sandboxId);
    if (s == null) {
      return null;
    }
    synchronized (s) {
      return new PodSandboxStatus(
          s.id,
          s.name,
          s.namespace,
          s.uid,
          s.ready ? PodSandboxStatus.State.READY : PodSandboxStatus.State.NOTREADY,
          PodIpPool.format(s.ip),
          Instant.ofEpochMilli(s.createdAt));
    }
  }

  @Override
  public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sb) {
    Sandbox s = sandboxes.get(sandboxId);
    if (s == null) {
      throw new IllegalArgumentException("no sandbox " + sandboxId);
    }
    Container c =
        new Container(
            host.nextId(),
            s,
            config.name(),
            config.attempt(),
            config.image(),
            config.isInit(),
            host.clock().millis());
    synchronized (s) {
      if (!s.ready) {
        throw new IllegalStateException("sandbox " + sandboxId + " is stopped");
      }
      s.containers.add(c);
    }
    containers.put(c.id, c);
    emit(c, ContainerEvent.Type.CREATED);
    return c.id;
  }

  @Override
  public void startContainer(String containerId) {
    Container c = require(containerId);
    Sandbox s = c.sandbox;
    long now = host.clock().millis();
    Duration exitAfter = c.init ? Duration.ZERO : s.exitAfter;
    synchronized (s) {
      if (c.state != ContainerStatus.State.CREATED) {
        throw new IllegalStateException("container " + containerId + " is " + c.state);
      }
      c.state = ContainerStatus.State.RUNNING;
      c.startedAt = now;
      if (exitAfter != null && exitAfter.isZero()) {
        c.exit(now, c.init ? 0 : s.exitCode, null);
      }
    }
    emit(c, ContainerEvent.Type.STARTED);
    if (exitAfter == null) {
      return;
    }
    if (exitAfter.isZero()) {
      emit(c, ContainerEvent.Type.STOPPED);
    } else {
      host.timers()
          .schedule(
              () -> {
                boolean exited;
                synchronized (s) {
                  exited = c.exit(host.clock().millis(), s.exitCode, null);
                }
                if (exited) {
                  emit(c, ContainerEvent.Type.STOPPED);
                }
              },
              exitAfter.toNanos(),
              TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void stopContainer(String containerId, Duration timeout) {
    Container c = containers.get(containerId);
    if (c == null) {
      return;
    }
    boolean exited;
    synchronized (c.sandbox) {
      exited = c.exit(host.clock().millis(), 0, "Completed");
    }
    if (exited) {
      emit(c, ContainerEvent.Type.STOPPED);
    }
  }

  @Override
  public void removeContainer(String containerId) {
    stopContainer(containerId, Duration.ZERO);
    Container c = containers.remove(containerId);
    if (c != null) {
      synchronized (c.sandbox) {
        c.sandbox.containers.remove(c);
      }
      emit(c, ContainerEvent.Type.DELETED);
    }
  }

  @Override
  public List<ContainerStatus> listContainers(String sandboxId) {
    Sandbox s = sandboxes.get(sandboxId);
    if (s == null) {
      return List.of();
    }
    synchronized (s) {
      List<ContainerStatus> out = new ArrayList<>(s.containers.size());
      for (Container c : s.containers) {
        out.add(
            new ContainerStatus(
                c.id,
                s.id,
                c.name,
                c.attempt,
                c.image,
                host.imageRef(c.image),
                c.state,
                Instant.ofEpochMilli(c.createdAt),
                c.startedAt == 0 ? null : Instant.ofEpochMilli(c.startedAt),
                c.finishedAt == 0 ? null : Instant.ofEpochMilli(c.finishedAt),
                c.exitCode,
                c.reason));
      }
      return out;
    }
  }

  @Override
  public AutoCloseable containerEvents(Consumer<ContainerEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** How many sandboxes this node holds (for tests and figures). */
  public int sandboxCount() {
    return sandboxes.size();
  }

  @Override
  public void close() {
    listeners.clear();
  }

  private Container require(String id) {
    Container c = containers.get(id);
    if (c == null) {
      throw new IllegalArgumentException("no container " + id);
    }
    return c;
  }

  private void emit(Container c, ContainerEvent.Type type) {
    if (listeners.isEmpty()) {
      return;
    }
    ContainerEvent e =
        new ContainerEvent(c.id, type, c.sandbox.namespace, c.sandbox.name, c.sandbox.uid);
    for (Consumer<ContainerEvent> l : listeners) {
      l.accept(e);
    }
  }

  /** A sandbox; its fields after construction change only under its monitor. */
  private static final class Sandbox {
    final String id;
    final String name;
    final String namespace;
    final String uid;
    final int ip;
    final long createdAt;
    final Duration exitAfter;
    final int exitCode;
    final List<Container> containers = new ArrayList<>(2);
    boolean ready = true;

    Sandbox(
        String id,
        String name,
        String namespace,
        String uid,
        int ip,
        long createdAt,
        Duration exitAfter,
        int exitCode) {
      this.id = id;
      this.name = name;
      this.namespace = namespace;
      this.uid = uid;
      this.ip = ip;
      this.createdAt = createdAt;
      this.exitAfter = exitAfter;
      this.exitCode = exitCode;
    }
  }

  /** A container; mutable fields change only under its sandbox's monitor. */
  private static final class Container {
    final String id;
    final Sandbox sandbox;
    final String name;
    final int attempt;
    final String image;
    final boolean init;
    final long createdAt;
    ContainerStatus.State state = ContainerStatus.State.CREATED;
    long startedAt;
    long finishedAt;
    int exitCode;
    String reason;

    Container(
        String id,
        Sandbox sandbox,
        String name,
        int attempt,
        String image,
        boolean init,
        long createdAt) {
      this.id = id;
      this.sandbox = sandbox;
      this.name = name;
      this.attempt = attempt;
      this.image = image;
      this.init = init;
      this.createdAt = createdAt;
    }

    /** Moves a created or running container to exited; false when it already was. */
    boolean exit(long now, int code, String why) {
      if (state == ContainerStatus.State.EXITED) {
        return false;
      }
      state = ContainerStatus.State.EXITED;
      finishedAt = now;
      exitCode = code;
      reason = why != null ? why : code == 0 ? "Completed" : "Error";
      return true;
    }
  }
}
