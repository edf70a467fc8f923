package io.flotilla.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.flotilla.node.image.ImagePuller;
import io.flotilla.node.pod.ConfigError;
import io.flotilla.node.pod.ContainerConfigs;
import io.flotilla.node.pod.FieldPaths;
import io.flotilla.node.pod.Hooks;
import io.flotilla.node.pod.ObjectSource;
import io.flotilla.node.pod.PodVolumes;
import io.flotilla.node.pod.Probes;
import io.flotilla.node.runtime.ContainerConfig;
import io.flotilla.node.runtime.ContainerStatus;
import io.flotilla.node.runtime.Runtime;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an agent running real containers adds to {@link PodSync}: volumes set up (and refreshed)
 * before containers start, full container configs (env, command, mounts, resources), postStart
 * hooks and probes after a start, preStop hooks and the grace period on a stop.
 *
 * <p>Threading: called by the worker holding the pod's key; {@link Probes} runs on its own pool.
 */
final class PodFeatures implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PodFeatures.class);
  private static final Duration MIN_STOP_GRACE = Duration.ofSeconds(2);
  private final ObjectSource objects;
  final Probes probes;
  final ImagePuller images;
  private final Path dataDir;
  private final Clock clock;

  PodFeatures(ObjectSource objects, Probes probes, Path dataDir, Clock clock) {
    this.objects = objects;
    this.probes = probes;
    this.images = ImagePuller.withKubeletBackoff(clock);
    this.dataDir = dataDir;
    this.clock = clock;
  }

  /** Sets up (or refreshes) the pod's volumes; a failure is kept in {@code rec.volumeError}. */
  void volumes(PodView pod, PodRecord rec, String hostIp, Map<String, Quantity> allocatable) {
    try {
      rec.volumes =
          PodVolumes.setUp(
              pod.pod(),
              PodVolumes.podDir(dataDir, pod.uid()),
              objects,
              new FieldPaths.PodAddresses(rec.podIp, hostIp),
              allocatable,
              clock.instant());
      rec.volumeError = null;
    } catch (ConfigError | java.io.UncheckedIOException e) {
      rec.volumeError = "MountVolume.SetUp failed: " + e.getMessage();
    }
  }

  /** Where the runtime writes the pod's container logs: {@code DATA/logs/<ns>_<name>_<uid>}. */
  Path logDirectory(PodView pod) {
    return dataDir.resolve("logs").resolve(pod.namespace() + "_" + pod.name() + "_" + pod.uid());
  }

  boolean refreshesVolumes(PodView pod) {
    return PodVolumes.hasRefreshingVolumes(pod.pod());
  }

  ContainerConfig config(
      PodView pod,
      PodRecord rec,
      String name,
      int attempt,
      Map<String, String> labels,
      String hostIp,
      Map<String, Quantity> allocatable) {
    var ctx =
        new ContainerConfigs.PodContext(
            pod.pod(),
            objects,
            new FieldPaths.PodAddresses(rec.podIp, hostIp),
            allocatable,
            rec.volumes == null ? Map.of() : rec.volumes);
    return ContainerConfigs.build(ctx, spec(pod, name), attempt, labels);
  }

  /** After a start: the postStart hook (a failure kills the container), then its probes. */
  void started(PodView pod, PodRecord rec, String name, String containerId, Runtime rt) {
    Container c = spec(pod, name);
    String failed =
        Hooks.run(
            Hooks.postStart(c), c, rt, containerId, rec.podIp, Duration.ofSeconds(grace(pod)));
    if (failed != null) {
      LOG.info("pod {} container {}: postStart hook failed: {}", pod.key(), name, failed);
      rt.stopContainer(containerId, Duration.ZERO);
      return;
    }
    probes.add(pod.key(), containerId, c, rt, rec.podIp);
  }

  /** preStop, then SIGTERM and, after what is left of the grace period, SIGKILL. */
  void stop(PodView pod, PodRecord rec, ContainerStatus running, Runtime rt, Duration grace) {
    Instant t0 = clock.instant();
    Container c = spec(pod, running.name());
    if (c != null) {
      String failed = Hooks.run(Hooks.preStop(c), c, rt, running.id(), rec.podIp, grace);
      if (failed != null) {
        LOG.info("pod {} container {}: preStop hook failed: {}", pod.key(), c.getName(), failed);
      }
    }
    Duration left = grace.minus(Duration.between(t0, clock.instant()));
    if (left.compareTo(MIN_STOP_GRACE) < 0) {
      left = grace.isZero() ? Duration.ZERO : MIN_STOP_GRACE;
    }
    probes.remove(running.id());
    rt.stopContainer(running.id(), left);
  }

  /** Stops every running container of the pod at once, each within the grace period. */
  void stopAll(PodView pod, PodRecord rec, List<ContainerStatus> all, Runtime rt) {
    Duration grace = Duration.ofSeconds(grace(pod));
    List<Thread> threads =
        all.stream()
            .filter(s -> s.state() == ContainerStatus.State.RUNNING)
            .map(s -> Thread.ofVirtual().start(() -> stop(pod, rec, s, rt, grace)))
            .toList();
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The pod is gone: its probes stop, its volume directories and logs are removed. */
  void forget(PodRecord rec, List<ContainerStatus> containers) {
    containers.forEach(c -> probes.remove(c.id()));
    images.forget(rec.uid);
    PodVolumes.tearDown(PodVolumes.podDir(dataDir, rec.uid));
    if (rec.logDirectory != null) {
      PodVolumes.tearDown(rec.logDirectory);
    }
  }

  static long grace(PodView pod) {
    return pod.graceSeconds();
  }

  static Container spec(PodView pod, String name) {
    for (List<Container> cs :
        List.of(
            pod.pod().getSpec().getContainers(),
            pod.pod().getSpec().getInitContainers() == null
                ? List.<Container>of()
                : pod.pod().getSpec().getInitContainers())) {
      for (Container c : cs) {
        if (c.getName().equals(name)) {
          return c;
        }
      }
    }
    return null;
  }

  @Override
  public void close() {
    probes.close();
  }
}
