package io.flotilla.controllers.testsupport;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.controllers.runtime.Clock;
import io.flotilla.controllers.runtime.ControllerManager;
import io.flotilla.controllers.runtime.ManualClock;
import io.flotilla.controllers.runtime.SystemClock;
import io.flotilla.testing.InProcessCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An in-process cluster with a controller manager on a {@link ManualClock} (or the system clock),
 * and the pod status writes a node agent would make.
 */
public final class ClockedHarness implements AutoCloseable {
  public final InProcessCluster cluster;
  public final KubernetesClient client;
  public final Clock clock;
  public final ControllerManager manager;

  private ClockedHarness(Clock clock, ControllerHarness.Named... controllers) {
    this.clock = clock;
    cluster = InProcessCluster.start();
    client = cluster.client();
    var b = ControllerManager.builder(client).clock(clock).leaderElection(false);
    for (ControllerHarness.Named n : controllers) {
      b.add(n.name(), n.factory());
    }
    manager = b.build();
    manager.start();
  }

  /** Starts at the current instant truncated to seconds, so timestamps compare exactly. */
  public static ClockedHarness manual(ControllerHarness.Named... controllers) {
    return new ClockedHarness(
        new ManualClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)),
        controllers);
  }

  public static ClockedHarness system(ControllerHarness.Named... controllers) {
    return new ClockedHarness(new SystemClock(), controllers);
  }

  public ManualClock manualClock() {
    return (ManualClock) clock;
  }

  /** Moves a manual clock on a little, so rate-limited retries (conflicts) run; no-op otherwise. */
  public void tick() {
    if (clock instanceof ManualClock m) {
      m.advance(Duration.ofMillis(200));
    }
  }

  /**
   * Awaits {@code condition} for up to 90 s, moving a manual clock on 20 ms per poll so the
   * controllers' rate-limited retries (after conflicts with their own lagging caches) run.
   */
  public void until(java.util.concurrent.Callable<Boolean> condition) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              if (clock instanceof ManualClock m) {
                m.advance(Duration.ofMillis(20));
              }
              return condition.call();
            });
  }

  /** Runs a test's write again while it conflicts with a controller's write. */
  public void retry(Runnable write) {
    for (int i = 0; ; i++) {
      try {
        write.run();
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || i > 20) {
          throw e;
        }
      }
    }
  }

  /** Writes phase Running and Ready=True through the status subresource. */
  public Pod ready(Pod p) {
    return TestPods.markReady(client, p, clock.now());
  }

  /** Writes a terminal phase with one terminated container exiting {@code exitCode}. */
  public Pod finish(Pod p, String phase, int exitCode, String... conditionTypes) {
    Pod fresh =
        client
            .pods()
            .inNamespace(p.getMetadata().getNamespace())
            .withName(p.getMetadata().getName())
            .get();
    String now = clock.now().toString();
    PodBuilder b =
        new PodBuilder(fresh)
            .withNewStatus()
            .withPhase(phase)
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName(fresh.getSpec().getContainers().getFirst().getName())
                    .withImage(fresh.getSpec().getContainers().getFirst().getImage())
                    .withImageID("")
                    .withReady(false)
                    .withRestartCount(0)
                    .withNewState()
                    .withNewTerminated()
                    .withExitCode(exitCode)
                    .withFinishedAt(now)
                    .withStartedAt(now)
                    .endTerminated()
                    .endState()
                    .build())
            .endStatus();
    for (String t : conditionTypes) {
      b.editStatus()
          .addToConditions(
              new PodConditionBuilder()
                  .withType(t)
                  .withStatus("True")
                  .withLastTransitionTime(now)
                  .build())
          .endStatus();
    }
    return client
        .pods()
        .inNamespace(p.getMetadata().getNamespace())
        .resource(b.build())
        .updateStatus();
  }

  /** Events about the object named {@code name} in {@code namespace}. */
  public List<Event> events(String namespace, String name) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  public boolean hasEvent(String namespace, String name, String reason) {
    return events(namespace, name).stream().anyMatch(e -> reason.equals(e.getReason()));
  }

  @Override
  public void close() {
    manager.close();
    if (clock instanceof SystemClock s) {
      s.close();
    }
    cluster.close();
  }
}
