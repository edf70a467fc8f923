package io.flotilla.node;

import io.flotilla.node.PodView.ContainerShape;
import io.flotilla.node.PodView.PodShape;
import io.flotilla.node.runtime.ContainerConfig;
import io.flotilla.node.runtime.ContainerStatus;
import io.flotilla.node.runtime.PodSandboxConfig;
import io.flotilla.node.runtime.PodSandboxStatus;
import io.flotilla.node.runtime.Runtime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One pass of kubelet's syncPod for one pod against its node's {@link Runtime}: make sure the
 * sandbox exists, run init containers in order, then the app containers, restart exited ones as the
 * restartPolicy says (with a doubling back-off), and work out the status to report. Returns the
 * status and, when something is due later (a restart, a readiness delay), how long to wait.
 *
 * <p>Threading: stateless apart from its configuration; called by the pod worker holding the pod's
 * key, which owns the {@link PodRecord}.
 */
final class PodSync {
  private final Clock clock;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Function<PodView, Duration> readinessDelay;
  private final String runtimeName;

  PodSync(
      String runtimeName,
      Clock clock,
      Duration initialBackoff,
      Duration maxBackoff,
      Function<PodView, Duration> readinessDelay) {
    this.runtimeName = runtimeName;
    this.clock = clock;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.readinessDelay = readinessDelay;
  }

  /** What one sync decided: the status to report and when to look again (null: on events only). */
  record Result(PodStatusPatch status, Duration recheckAfter) {}

  Result sync(PodView pod, PodRecord rec, Runtime runtime, String hostIp) {
    Instant now = clock.instant();
    PodSandboxConfig sandbox = sandboxConfig(pod);
    if (rec.sandboxId == null) {
      rec.sandboxId = runtime.runPodSandbox(sandbox);
      PodSandboxStatus st = runtime.podSandboxStatus(rec.sandboxId);
      rec.podIp = st.ip();
      rec.startTime = now;
      rec.readyTransition = now;
    }
    PodShape shape = pod.shape();
    Duration recheck = null;
    List<ContainerStatus> all = runtime.listContainers(rec.sandboxId);

    // Init containers, one at a time in spec order; the app containers wait for all of them.
    List<PodStatusPatch.Container> initStatuses = new ArrayList<>();
    List<String> uninitialized = new ArrayList<>();
    boolean initFailed = false;
    boolean mayStartNext = !rec.sandboxStopped;
    for (ContainerShape c : shape.initContainers()) {
      ContainerStatus[] attempts = latestTwo(all, c.name());
      ContainerStatus cur = attempts[0];
      if (cur == null && mayStartNext) {
        start(runtime, rec, sandbox, c, 0, true);
        all = runtime.listContainers(rec.sandboxId);
        cur = latestTwo(all, c.name())[0];
      }
      boolean done = cur != null && cur.state() == ContainerStatus.State.EXITED;
      if (done && cur.exitCode() != 0) {
        if (shape.restartPolicy().equals("Never")) {
          initFailed = true;
        } else if (mayStartNext) {
          Duration wait = restartWait(cur, now);
          if (wait.isZero()) {
            start(runtime, rec, sandbox, c, cur.attempt() + 1, true);
            all = runtime.listContainers(rec.sandboxId);
            attempts = latestTwo(all, c.name());
            cur = attempts[0];
          } else {
            recheck = min(recheck, wait);
          }
        }
      }
      boolean succeeded =
          cur != null && cur.state() == ContainerStatus.State.EXITED && cur.exitCode() == 0;
      if (!succeeded) {
        uninitialized.add(c.name());
        mayStartNext = false;
      }
      initStatuses.add(report(c, cur, attempts[1], false, now, pod));
    }

    // App containers, once every init container succeeded.
    boolean initialized = uninitialized.isEmpty();
    List<PodStatusPatch.Container> appStatuses = new ArrayList<>();
    List<String> unready = new ArrayList<>();
    int running = 0;
    int restarting = 0;
    int failed = 0;
    int finished = 0;
    Duration delay = readinessDelay.apply(pod);
    for (ContainerShape c : shape.containers()) {
      ContainerStatus[] attempts = latestTwo(all, c.name());
      ContainerStatus cur = attempts[0];
      ContainerStatus prev = attempts[1];
      boolean waitingBackoff = false;
      if (initialized && !rec.sandboxStopped) {
        if (cur == null) {
          start(runtime, rec, sandbox, c, 0, false);
          all = runtime.listContainers(rec.sandboxId);
          attempts = latestTwo(all, c.name());
          cur = attempts[0];
          prev = attempts[1];
        } else if (cur.state() == ContainerStatus.State.EXITED
            && restarts(shape.restartPolicy(), cur.exitCode())) {
          Duration wait = restartWait(cur, now);
          if (wait.isZero()) {
            start(runtime, rec, sandbox, c, cur.attempt() + 1, false);
            all = runtime.listContainers(rec.sandboxId);
            attempts = latestTwo(all, c.name());
            cur = attempts[0];
            prev = attempts[1];
          } else {
            waitingBackoff = true;
            recheck = min(recheck, wait);
          }
        }
      }
      boolean ready = false;
      if (cur != null && cur.state() == ContainerStatus.State.RUNNING) {
        running++;
        // A fresh reading: the container may have started during this very sync.
        Instant at = clock.instant();
        Instant readyAt = cur.startedAt().plus(delay);
        ready = !at.isBefore(readyAt);
        if (!ready) {
          recheck = min(recheck, Duration.between(at, readyAt));
        }
      } else if (cur != null && cur.state() == ContainerStatus.State.EXITED) {
        if (waitingBackoff) {
          restarting++;
        } else {
          finished++;
          if (cur.exitCode() != 0) {
            failed++;
          }
        }
      } else if (!initialized) {
        restarting++;
      }
      if (!ready) {
        unready.add(c.name());
      }
      PodStatusPatch.Container report =
          waitingBackoff ? backoffReport(c, cur, pod, now) : report(c, cur, prev, ready, now, pod);
      appStatuses.add(report);
    }

    String phase;
    if (initFailed) {
      phase = "Failed";
    } else if (!initialized) {
      phase = "Pending";
    } else if (running > 0 || restarting > 0) {
      phase = "Running";
    } else if (finished == shape.containers().size() && finished > 0) {
      phase = failed > 0 ? "Failed" : "Succeeded";
    } else {
      phase = "Pending";
    }
    boolean readyNow = unready.isEmpty() && !phase.equals("Succeeded") && !phase.equals("Failed");
    if (readyNow != rec.ready) {
      rec.ready = readyNow;
      rec.readyTransition = now;
    }
    PodStatusPatch status =
        new PodStatusPatch(
            phase,
            hostIp,
            rec.podIp,
            rec.startTime,
            !pod.scheduledConditionTrue(),
            !rec.sandboxStopped,
            uninitialized,
            unready,
            rec.readyTransition,
            initStatuses,
            appStatuses);
    return new Result(status, recheck);
  }

  /** Stops every container of the pod (deletion or a terminal phase) and its sandbox. */
  void stop(PodRecord rec, Runtime runtime) {
    if (rec.sandboxId != null && !rec.sandboxStopped) {
      runtime.stopPodSandbox(rec.sandboxId);
      rec.sandboxStopped = true;
    }
  }

  private static boolean restarts(String policy, int exitCode) {
    return switch (policy) {
      case "Never" -> false;
      case "OnFailure" -> exitCode != 0;
      default -> true;
    };
  }

  /** Time left of the back-off before the next attempt: initial × 2^attempt, capped. */
  private Duration restartWait(ContainerStatus exited, Instant now) {
    long factor = 1L << Math.min(exited.attempt(), 20);
    Duration backoff = initialBackoff.multipliedBy(factor);
    if (backoff.compareTo(maxBackoff) > 0) {
      backoff = maxBackoff;
    }
    Instant at = exited.finishedAt().plus(backoff);
    return now.isBefore(at) ? Duration.between(now, at) : Duration.ZERO;
  }

  private void start(
      Runtime runtime,
      PodRecord rec,
      PodSandboxConfig sandbox,
      ContainerShape c,
      int attempt,
      boolean init) {
    // Keep only the attempt before the new one: it becomes lastState.
    List<ContainerStatus> old =
        runtime.listContainers(rec.sandboxId).stream()
            .filter(s -> s.name().equals(c.name()) && s.attempt() < attempt - 1)
            .toList();
    old.forEach(s -> runtime.removeContainer(s.id()));
    ContainerConfig config =
        new ContainerConfig(
            c.name(),
            attempt,
            c.image(),
            List.of(),
            List.of(),
            "",
            Map.of(),
            Map.of(
                ContainerConfig.CONTAINER_NAME_LABEL,
                c.name(),
                ContainerConfig.CONTAINER_TYPE_LABEL,
                init ? "init" : "app"),
            Map.of());
    String id = runtime.createContainer(rec.sandboxId, config, sandbox);
    runtime.startContainer(id);
  }

  private PodStatusPatch.Container report(
      ContainerShape c,
      ContainerStatus cur,
      ContainerStatus prev,
      boolean ready,
      Instant now,
      PodView pod) {
    if (cur == null) {
      return new PodStatusPatch.Container(
          c.name(),
          c.image(),
          "",
          null,
          0,
          false,
          false,
          PodStatusPatch.State.waiting("PodInitializing", null),
          lastState(prev));
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
        cur.state() == ContainerStatus.State.RUNNING,
        state,
        lastState(prev));
  }

  private PodStatusPatch.Container backoffReport(
      ContainerShape c, ContainerStatus exited, PodView pod, Instant now) {
    Duration backoff = restartWait(exited, exited.finishedAt());
    String message =
        "back-off "
            + backoff.toSeconds()
            + "s restarting failed container="
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

  private PodStatusPatch.State lastState(ContainerStatus prev) {
    if (prev == null || prev.state() != ContainerStatus.State.EXITED) {
      return null;
    }
    return PodStatusPatch.State.terminated(
        prev.exitCode(), prev.reason(), prev.startedAt(), prev.finishedAt(), id(prev));
  }

  private String id(ContainerStatus s) {
    return runtimeName + "://" + s.id();
  }

  /** The newest and the one before it of the container called {@code name}. */
  private static ContainerStatus[] latestTwo(List<ContainerStatus> all, String name) {
    ContainerStatus[] out = new ContainerStatus[2];
    for (ContainerStatus s : all) {
      if (!s.name().equals(name)) {
        continue;
      }
      if (out[0] == null || s.attempt() > out[0].attempt()) {
        out[1] = out[0];
        out[0] = s;
      } else if (out[1] == null || s.attempt() > out[1].attempt()) {
        out[1] = s;
      }
    }
    return out;
  }

  private static Duration min(Duration a, Duration b) {
    return a == null || b.compareTo(a) < 0 ? b : a;
  }

  private static PodSandboxConfig sandboxConfig(PodView pod) {
    return new PodSandboxConfig(
        pod.name(), pod.namespace(), pod.uid(), 0, pod.name(), Map.of(), pod.shape().annotations());
  }
}
