package io.flotilla.node;

import io.flotilla.node.PodView.ContainerShape;
import io.flotilla.node.runtime.ContainerStatus;
import java.time.Duration;

/**
 * How one container's status is reported from what the runtime says: its state (running,
 * terminated, or waiting with kubelet's reasons), lastState from the previous attempt, and the
 * CrashLoopBackOff message.
 *
 * <p>Threading: stateless apart from its configuration.
 */
final class ContainerReports {
  private final String runtimeName;
  private final PodFeatures features;

  ContainerReports(String runtimeName, PodFeatures features) {
    this.runtimeName = runtimeName;
    this.features = features;
  }

  PodStatusPatch.Container report(
      PodRecord rec,
      ContainerShape c,
      ContainerStatus cur,
      ContainerStatus prev,
      boolean ready,
      boolean creating,
      PodView pod) {
    String[] error = rec.configErrors.get(c.name());
    if (cur == null || error != null && cur.state() == ContainerStatus.State.EXITED) {
      PodStatusPatch.State waiting =
          error != null
              ? PodStatusPatch.State.waiting(error[0], error[1])
              : PodStatusPatch.State.waiting(
                  creating ? "ContainerCreating" : "PodInitializing", null);
      return new PodStatusPatch.Container(
          c.name(),
          c.image(),
          cur == null ? "" : cur.imageRef(),
          cur == null ? null : id(cur),
          cur == null ? 0 : cur.attempt(),
          false,
          false,
          waiting,
          cur == null ? lastState(prev) : lastState(cur));
    }
    PodStatusPatch.State state =
        switch (cur.state()) {
          case RUNNING -> PodStatusPatch.State.running(cur.startedAt());
          case EXITED ->
              PodStatusPatch.State.terminated(
                  cur.exitCode(), cur.reason(), cur.startedAt(), cur.finishedAt(), id(cur));
          default -> PodStatusPatch.State.waiting("ContainerCreating", null);
        };
    return new PodStatusPatch.Container(
        c.name(),
        c.image(),
        cur.imageRef(),
        id(cur),
        cur.attempt(),
        ready,
        cur.state() == ContainerStatus.State.RUNNING
            && (features == null || features.probes.started(cur.id())),
        state,
        lastState(prev));
  }

  PodStatusPatch.Container backoffReport(
      Duration backoff, ContainerShape c, ContainerStatus exited, PodView pod) {
    String message =
        "back-off "
            + goDuration(backoff)
            + " restarting failed container="
            + c.name()
            + " pod="
            + pod.name()
            + "_"
            + pod.namespace()
            + "("
            + pod.uid()
            + ")";
    return new PodStatusPatch.Container(
        c.name(),
        c.image(),
        exited.imageRef(),
        id(exited),
        exited.attempt(),
        false,
        false,
        PodStatusPatch.State.waiting("CrashLoopBackOff", message),
        lastState(exited));
  }

  PodStatusPatch.State lastState(ContainerStatus prev) {
    if (prev == null || prev.state() != ContainerStatus.State.EXITED) {
      return null;
    }
    return PodStatusPatch.State.terminated(
        prev.exitCode(), prev.reason(), prev.startedAt(), prev.finishedAt(), id(prev));
  }

  String id(ContainerStatus s) {
    return runtimeName + "://" + s.id();
  }

  /** A duration as Go prints it: 10s, 5m0s, 500ms. */
  static String goDuration(Duration d) {
    if (d.toMillis() < 1000) {
      return d.toMillis() + "ms";
    }
    long s = d.toSeconds();
    String frac =
        d.toMillisPart() == 0 ? "" : String.format(".%03d", d.toMillisPart()).replaceAll("0+$", "");
    if (s < 60) {
      return s + frac + "s";
    }
    return (s / 60) + "m" + (s % 60) + frac + "s";
  }
}
