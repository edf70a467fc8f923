package io.flotilla.node.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageGarbageCollectorTest {
  private final FakeImageService images = new FakeImageService();
  private final Set<String> inUse = new HashSet<>();
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };
  private final ImageGarbageCollector gc =
      ImageGarbageCollector.withDefaults(images, () -> inUse, Set.of("pause:3.9"), clock);

  @Test
  void removesNothingBelowTheHighThreshold() {
    images.images.add(FakeImageService.image("a", "a:1", 100));
    images.available = 160; // 84 % used
    now = now.plus(Duration.ofHours(1));
    gc.collect();
    now = now.plus(Duration.ofHours(1));
    assertThat(gc.collect()).isEmpty();
  }

  @Test
  void removesUnusedImagesLeastRecentlyUsedFirstDownToTheLowThreshold() {
    images.images.add(FakeImageService.image("old", "old:1", 60));
    images.images.add(FakeImageService.image("recent", "recent:1", 60));
    images.images.add(FakeImageService.image("used", "used:1", 500));
    images.images.add(FakeImageService.image("pause", "pause:3.9", 500));
    inUse.add("old:1");
    gc.collect(); // first seen; "old" in use now
    now = now.plus(Duration.ofMinutes(5));
    inUse.clear();
    inUse.add("recent:1");
    gc.collect(); // "recent" in use later than "old"
    inUse.clear();
    inUse.add("used");
    images.images.add(FakeImageService.image("young", "young:1", 500));
    now = now.plus(Duration.ofMinutes(1));
    images.available = 100; // 90 % used: free 100 bytes to get to 80 %
    assertThat(gc.collect()).containsExactly("old", "recent");
    assertThat(images.images)
        .extracting(io.flotilla.node.runtime.ImageService.Image::id)
        .containsExactlyInAnyOrder("used", "pause", "young");
  }

  @Test
  void anImageNeverUsedGoesBeforeOneUsedOnce() {
    images.images.add(FakeImageService.image("once", "once:1", 100));
    images.images.add(FakeImageService.image("never", "never:1", 100));
    inUse.add("once:1");
    gc.collect();
    inUse.clear();
    now = now.plus(Duration.ofMinutes(10));
    images.available = 100;
    assertThat(gc.collect()).containsExactly("never");
  }
}
