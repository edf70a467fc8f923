package io.flotilla.node.image;

import io.flotilla.node.runtime.ImageService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kubelet's image garbage collection: each run records when every image was first seen and last
 * used by a container; when the image filesystem is {@code highPercent} (85) full or more, it
 * removes unused images, least recently used first, until usage would drop to {@code lowPercent}
 * (80). Images younger than {@code minAge} (2 min), in use, or kept (the sandbox image) stay.
 *
 * <p>Threading: {@link #collect} is synchronized; the agent calls it from its timer every 5 min.
 */
public final class ImageGarbageCollector {
  private static final Logger LOG = LoggerFactory.getLogger(ImageGarbageCollector.class);

  /** kubelet's defaults: imageGCHighThresholdPercent, imageGCLowThresholdPercent, min age. */
  public static final int HIGH_PERCENT = 85;

  public static final int LOW_PERCENT = 80;
  public static final Duration MIN_AGE = Duration.ofMinutes(2);
  public static final Duration PERIOD = Duration.ofMinutes(5);

  private final ImageService images;
  private final Supplier<Set<String>> inUse;
  private final Set<String> keep;
  private final Clock clock;
  private final int highPercent;
  private final int lowPercent;
  private final Duration minAge;
  private final Map<String, Record> records = new HashMap<>();

  private static final class Record {
    final Instant firstDetected;
    Instant lastUsed;

    Record(Instant firstDetected) {
      this.firstDetected = firstDetected;
      this.lastUsed = Instant.EPOCH;
    }
  }

  /**
   * @param inUse ids or names of the images containers use now
   * @param keep names or ids never removed (the sandbox image)
   */
  public ImageGarbageCollector(
      ImageService images,
      Supplier<Set<String>> inUse,
      Set<String> keep,
      Clock clock,
      int highPercent,
      int lowPercent,
      Duration minAge) {
    if (lowPercent > highPercent) {
      throw new IllegalArgumentException(
          "image GC low threshold "
              + lowPercent
              + "% is above the high threshold "
              + highPercent
              + "%");
    }
    this.images = images;
    this.inUse = inUse;
    this.keep = Set.copyOf(keep);
    this.clock = clock;
    this.highPercent = highPercent;
    this.lowPercent = lowPercent;
    this.minAge = minAge;
  }

  /** With kubelet's thresholds. */
  public static ImageGarbageCollector withDefaults(
      ImageService images, Supplier<Set<String>> inUse, Set<String> keep, Clock clock) {
    return new ImageGarbageCollector(
        images, inUse, keep, clock, HIGH_PERCENT, LOW_PERCENT, MIN_AGE);
  }

  /** One run; returns the ids of the images removed. */
  public synchronized List<String> collect() {
    Instant now = clock.instant();
    List<ImageService.Image> all = images.listImages();
    Set<String> used = inUse.get();
    Set<String> present = new HashSet<>();
    for (ImageService.Image i : all) {
      present.add(i.id());
      Record r = records.computeIfAbsent(i.id(), id -> new Record(now));
      if (isUsed(i, used)) {
        r.lastUsed = now;
      }
    }
    records.keySet().retainAll(present);

    ImageService.FsUsage fs = images.imageFsUsage();
    if (fs.capacityBytes() <= 0) {
      return List.of();
    }
    long usagePercent = 100 - fs.availableBytes() * 100 / fs.capacityBytes();
    if (usagePercent < highPercent) {
      return List.of();
    }
    long toFree = fs.capacityBytes() * (100 - lowPercent) / 100 - fs.availableBytes();
    LOG.info(
        "image filesystem {} is {}% full (threshold {}%): freeing {} bytes",
        fs.mountpoint(), usagePercent, highPercent, toFree);
    List<ImageService.Image> candidates = new ArrayList<>();
    for (ImageService.Image i : all) {
      Record r = records.get(i.id());
      if (isUsed(i, used)
          || isKept(i)
          || Duration.between(r.firstDetected, now).compareTo(minAge) < 0) {
        continue;
      }
      candidates.add(i);
    }
    candidates.sort(
        Comparator.comparing((ImageService.Image i) -> records.get(i.id()).lastUsed)
            .thenComparing(i -> records.get(i.id()).firstDetected));
    List<String> removed = new ArrayList<>();
    long freed = 0;
    for (ImageService.Image i : candidates) {
      if (freed >= toFree) {
        break;
      }
      try {
        images.removeImage(i.id());
        records.remove(i.id());
        removed.add(i.id());
        freed += i.sizeBytes();
      } catch (RuntimeException e) {
        LOG.warn("image GC could not remove {}: {}", i.id(), e.getMessage());
      }
    }
    if (freed < toFree) {
      LOG.warn(
          "image GC freed {} of the {} bytes wanted on {}; the rest is in use",
          freed,
          toFree,
          fs.mountpoint());
    }
    return removed;
  }

  private static boolean isUsed(ImageService.Image i, Set<String> used) {
    return used.contains(i.id())
        || i.repoTags().stream().anyMatch(used::contains)
        || i.repoDigests().stream().anyMatch(used::contains);
  }

  private boolean isKept(ImageService.Image i) {
    return keep.contains(i.id()) || i.repoTags().stream().anyMatch(keep::contains);
  }
}
