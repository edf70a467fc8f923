package io.flotilla.node.storage;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes local-path volume directories no PersistentVolume names any more: the node side of the
 * Delete reclaim policy (the binder deletes the PersistentVolume; rancher's provisioner runs a
 * helper pod for this, Flotilla's agent sweeps instead). Only entries of the node's storage
 * directory named as the provisioner names them ({@code pvc-<uid>_<namespace>_<claim>}) are
 * considered, and one is kept while any PersistentVolume's hostPath or local path points at it or a
 * PersistentVolume of its name still exists.
 *
 * <p>The directory is listed before the PersistentVolumes, so a directory made for a volume created
 * meanwhile is always matched by that volume. Threading: one daemon thread runs {@link #sweepOnce}
 * every {@link #INTERVAL}; {@link #sweepOnce} may also be called directly (tests).
 */
public final class LocalPathSweep implements AutoCloseable {
  /** The Node annotation that tells the provisioner where this node keeps volumes. */
  public static final String DIR_ANNOTATION = "local-path.flotilla.io/dir";

  public static final Duration INTERVAL = Duration.ofSeconds(60);

  private static final Logger LOG = LoggerFactory.getLogger(LocalPathSweep.class);
  private static final Pattern VOLUME_DIR = Pattern.compile("(pvc-[0-9a-f-]+)_[^_/]+_[^/]+");

  private final KubernetesClient client;
  private final Path dir;
  private final ScheduledExecutorService timer;

  private LocalPathSweep(KubernetesClient client, Path dir, ScheduledExecutorService timer) {
    this.client = client;
    this.dir = dir;
    this.timer = timer;
  }

  /** The node's storage directory under the agent's data directory. */
  public static Path storageDir(Path dataDir) {
    return dataDir.toAbsolutePath().resolve("storage");
  }

  /** A sweep of {@code dir} that runs every {@link #INTERVAL} until closed. */
  public static LocalPathSweep start(KubernetesClient client, Path dir) {
    ScheduledExecutorService t =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("local-path-sweep").daemon().factory());
    LocalPathSweep s = new LocalPathSweep(client, dir, t);
    t.scheduleWithFixedDelay(
        s::sweepQuietly, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return s;
  }

  /** A sweep without its timer, for {@link #sweepOnce} calls. */
  public static LocalPathSweep manual(KubernetesClient client, Path dir) {
    return new LocalPathSweep(client, dir, null);
  }

  private void sweepQuietly() {
    try {
      sweepOnce();
    } catch (RuntimeException e) {
      LOG.warn("local-path sweep of {} failed: {}", dir, e.toString());
    }
  }

  /** Removes the unreferenced volume directories now; returns the paths removed. */
  public List<Path> sweepOnce() {
    List<Path> candidates = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      entries
          .filter(p -> VOLUME_DIR.matcher(p.getFileName().toString()).matches())
          .forEach(candidates::add);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot list " + dir, e);
    }
    if (candidates.isEmpty()) {
      return List.of();
    }
    Set<Path> used = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (PersistentVolume pv : client.persistentVolumes().list().getItems()) {
      names.add(pv.getMetadata().getName());
      if (pv.getSpec().getHostPath() != null) {
        used.add(Path.of(pv.getSpec().getHostPath().getPath()).toAbsolutePath().normalize());
      }
      if (pv.getSpec().getLocal() != null) {
        used.add(Path.of(pv.getSpec().getLocal().getPath()).toAbsolutePath().normalize());
      }
    }
    List<Path> removed = new ArrayList<>();
    for (Path p : candidates) {
      var m = VOLUME_DIR.matcher(p.getFileName().toString());
      if (!m.matches()
          || names.contains(m.group(1))
          || used.contains(p.toAbsolutePath().normalize())) {
        continue;
      }
      try {
        deleteTree(p);
        removed.add(p);
        LOG.info("removed local-path volume directory {}: no PersistentVolume names it", p);
      } catch (IOException e) {
        LOG.warn("cannot remove {}: {}", p, e.toString());
      }
    }
    return removed;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
