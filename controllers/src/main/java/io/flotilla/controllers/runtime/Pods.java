package io.flotilla.controllers.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Pod and owner helpers shared by the workload controllers (as upstream's podutil). */
public final class Pods {
  private Pods() {}

  /** Not Succeeded, not Failed, not being deleted ({@code controller.IsPodActive}). */
  public static boolean isActive(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return !"Succeeded".equals(phase)
        && !"Failed".equals(phase)
        && p.getMetadata().getDeletionTimestamp() == null;
  }

  public static Optional<PodCondition> readyCondition(Pod p) {
    if (p.getStatus() == null || p.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return p.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst();
  }

  public static boolean isReady(Pod p) {
    return readyCondition(p).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /** When the pod last became Ready, if it is Ready and says so. */
  public static Optional<Instant> readySince(Pod p) {
    return readyCondition(p)
        .filter(c -> "True".equals(c.getStatus()) && c.getLastTransitionTime() != null)
        .map(c -> Instant.parse(c.getLastTransitionTime()));
  }

  /** Ready for at least {@code minReadySeconds} at {@code now} ({@code podutil.IsPodAvailable}). */
  public static boolean isAvailable(Pod p, int minReadySeconds, Instant now) {
    if (!isReady(p)) {
      return false;
    }
    if (minReadySeconds == 0) {
      return true;
    }
    Optional<Instant> since = readySince(p);
    return since.isPresent() && !since.get().plusSeconds(minReadySeconds).isAfter(now);
  }

  /** How long until a Ready pod becomes available, or empty if it is not Ready or already is. */
  public static Optional<Duration> untilAvailable(Pod p, int minReadySeconds, Instant now) {
    if (!isReady(p) || minReadySeconds == 0) {
      return Optional.empty();
    }
    Instant at = readySince(p).orElse(now).plusSeconds(minReadySeconds);
    return at.isAfter(now) ? Optional.of(Duration.between(now, at)) : Optional.empty();
  }

  /** The owner reference with {@code controller: true}, if any. */
  public static Optional<OwnerReference> controllerOf(HasMetadata o) {
    if (o.getMetadata().getOwnerReferences() == null) {
      return Optional.empty();
    }
    return o.getMetadata().getOwnerReferences().stream()
        .filter(r -> Boolean.TRUE.equals(r.getController()))
        .findFirst();
  }

  /** Seconds-precision RFC 3339 timestamp as the API writes them. */
  public static String timestamp(Instant t) {
    return java.time.format.DateTimeFormatter.ISO_INSTANT.format(
        t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
  }
}
