package io.flotilla.node.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImagePullerTest {
  private final FakeImageService images = new FakeImageService();
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
  private final ImagePuller puller = ImagePuller.withKubeletBackoff(clock);

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "busybox, Always",
    "busybox:latest, Always",
    "busybox:1.36, IfNotPresent",
    "registry:5000/app, Always",
    "registry:5000/app:v2, IfNotPresent",
    "busybox@sha256:abc, IfNotPresent"
  })
  void defaultPolicyIsAlwaysForLatestOrNoTagElseIfNotPresent(String image, String policy) {
    assertThat(ImagePuller.defaultPolicy(image)).isEqualTo(policy);
  }

  @Test
  void ifNotPresentPullsOnlyAMissingImageWithTheDefaultTag() {
    images.images.add(FakeImageService.image("sha256:b", "docker.io/library/busybox:latest", 1));
    assertThat(puller.ensure(images, "u", "docker.io/library/busybox", "IfNotPresent").ready())
        .isTrue();
    assertThat(images.pulls).isEmpty();
    assertThat(puller.ensure(images, "u", "app:v1", "IfNotPresent").ready()).isTrue();
    assertThat(images.pulls).containsExactly("app:v1");
  }

  @Test
  void alwaysPullsEvenWhenPresent() {
    images.images.add(FakeImageService.image("sha256:b", "app:latest", 1));
    assertThat(puller.ensure(images, "u", "app", null).ready()).isTrue();
    assertThat(images.pulls).containsExactly("app:latest");
  }

  @Test
  void neverWithoutTheImageSaysErrImageNeverPull() {
    ImagePuller.Outcome o = puller.ensure(images, "u", "app:v1", "Never");
    assertThat(o.reason()).isEqualTo(ImagePuller.ERR_IMAGE_NEVER_PULL);
    assertThat(o.message())
        .isEqualTo("Container image \"app:v1\" is not present with pull policy of Never");
    assertThat(images.pulls).isEmpty();
  }

  @Test
  void failedPullsBackOffDoublingAndEndWhenAPullWorks() {
    images.pullFailure = new IllegalStateException("connection refused");
    ImagePuller.Outcome first = puller.ensure(images, "u", "app:v1", null);
    assertThat(first.reason()).isEqualTo(ImagePuller.ERR_IMAGE_PULL);
    assertThat(first.message()).isEqualTo("Failed to pull image \"app:v1\": connection refused");

    now = now.plusSeconds(5);
    ImagePuller.Outcome waiting = puller.ensure(images, "u", "app:v1", null);
    assertThat(waiting.reason()).isEqualTo(ImagePuller.IMAGE_PULL_BACK_OFF);
    assertThat(waiting.message()).isEqualTo("Back-off pulling image \"app:v1\"");
    assertThat(waiting.retryAfter()).isEqualTo(Duration.ofSeconds(5));
    assertThat(images.pulls).hasSize(1);

    now = now.plusSeconds(5);
    assertThat(puller.ensure(images, "u", "app:v1", null).reason())
        .isEqualTo(ImagePuller.ERR_IMAGE_PULL);
    now = now.plusSeconds(15);
    assertThat(puller.ensure(images, "u", "app:v1", null).retryAfter())
        .as("second back-off is 20 s")
        .isEqualTo(Duration.ofSeconds(5));

    images.pullFailure = null;
    now = now.plusSeconds(5);
    assertThat(puller.ensure(images, "u", "app:v1", null).ready()).isTrue();
    assertThat(puller.ensure(images, "other-pod", "app:v1", "IfNotPresent").ready()).isTrue();
  }
}
