package io.flotilla.node.image;

import io.flotilla.node.runtime.ImageService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * kubelet's image manager (EnsureImageExists): applies a container's imagePullPolicy before the
 * container is created, pulls through the runtime's {@link ImageService}, and backs failed pulls
 * off per pod and image (10 s doubling to 5 min), reporting kubelet's waiting reasons: {@code
 * ErrImagePull} when a pull fails, {@code ImagePullBackOff} while the back-off lasts, {@code
 * ErrImageNeverPull} when policy Never finds no image.
 *
 * <p>Threading: thread-safe; {@link #ensure} blocks for the length of a pull. Pod workers call it
 * for different pods at once; one pod's containers are handled by one worker at a time.
 */
public final class ImagePuller {
  public static final String ERR_IMAGE_PULL = "ErrImagePull";
  public static final String IMAGE_PULL_BACK_OFF = "ImagePullBackOff";
  public static final String ERR_IMAGE_NEVER_PULL = "ErrImageNeverPull";

  private final Clock clock;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Map<String, Backoff> backoffs = new ConcurrentHashMap<>();

  private record Backoff(Instant lastFailure, Duration period) {}

  /**
   * What {@link #ensure} found: ready (the image is there) or a waiting reason with kubelet's
   * message and, for a back-off, when to try again.
   */
  public record Outcome(boolean ready, String reason, String message, Duration retryAfter) {
    static final Outcome READY = new Outcome(true, null, null, null);

    static Outcome waiting(String reason, String message, Duration retryAfter) {
      return new Outcome(false, reason, message, retryAfter);
    }
  }

  public ImagePuller(Clock clock, Duration initialBackoff, Duration maxBackoff) {
    this.clock = clock;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
  }

  /** kubelet's back-off for image pulls: 10 s doubling to 5 min. */
  public static ImagePuller withKubeletBackoff(Clock clock) {
    return new ImagePuller(clock, Duration.ofSeconds(10), Duration.ofMinutes(5));
  }

  /**
   * The policy a container gets when its spec names none (API defaulting): Always for a {@code
   * :latest} tag or no tag, else IfNotPresent.
   */
  public static String defaultPolicy(String image) {
    if (image.contains("@")) {
      return "IfNotPresent";
    }
    String tag = tag(image);
    return tag == null || tag.equals("latest") ? "Always" : "IfNotPresent";
  }

  /** The image with kubelet's default tag: {@code busybox} → {@code busybox:latest}. */
  public static String withDefaultTag(String image) {
    return image.contains("@") || tag(image) != null ? image : image + ":latest";
  }

  /**
   * Makes sure {@code image} is present as {@code policy} (Always, IfNotPresent, Never; empty or
   * null: the default) says, for pod {@code podUid}.
   */
  public Outcome ensure(ImageService images, String podUid, String image, String policy) {
    String ref = withDefaultTag(image);
    String p = policy == null || policy.isEmpty() ? defaultPolicy(image) : policy;
    boolean present = images.imageStatus(ref).isPresent();
    boolean pull =
        switch (p) {
          case "Always" -> true;
          case "Never" -> false;
          default -> !present;
        };
    if (!pull) {
      if (present) {
        return Outcome.READY;
      }
      return Outcome.waiting(
          ERR_IMAGE_NEVER_PULL,
          "Container image \"" + image + "\" is not present with pull policy of Never",
          null);
    }
    String key = podUid + "/" + ref;
    Instant now = clock.instant();
    Backoff b = backoffs.get(key);
    if (b != null) {
      Instant until = b.lastFailure().plus(b.period());
      if (now.isBefore(until)) {
        return Outcome.waiting(
            IMAGE_PULL_BACK_OFF,
            "Back-off pulling image \"" + image + "\"",
            Duration.between(now, until));
      }
    }
    try {
      images.pullImage(ref);
      backoffs.remove(key);
      return Outcome.READY;
    } catch (RuntimeException e) {
      Duration period =
          b == null
              ? initialBackoff
              : b.period().multipliedBy(2).compareTo(maxBackoff) > 0
                  ? maxBackoff
                  : b.period().multipliedBy(2);
      backoffs.put(key, new Backoff(clock.instant(), period));
      // Look again soon: the next sync reports ImagePullBackOff until the back-off ends, as
      // kubelet's does.
      return Outcome.waiting(
          ERR_IMAGE_PULL,
          "Failed to pull image \"" + image + "\": " + e.getMessage(),
          period.compareTo(Duration.ofSeconds(1)) < 0 ? period : Duration.ofSeconds(1));
    }
  }

  /** Forgets the back-offs of a pod that is gone. */
  public void forget(String podUid) {
    backoffs.keySet().removeIf(k -> k.startsWith(podUid + "/"));
  }

  /** The tag of a reference, or null: the part after the last ':' that follows the last '/'. */
  private static String tag(String image) {
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return colon > slash ? image.substring(colon + 1) : null;
  }
}
