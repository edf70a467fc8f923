package io.flotilla.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.flotilla.scheduler.plugins.defaultbinder.Binder;
import io.flotilla.scheduler.plugins.defaultpreemption.Evictor;
import io.flotilla.scheduler.profile.DefaultProfile;
import io.flotilla.scheduler.testutil.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * An in-memory stand-in for the API server around a real Scheduler: bindings are applied and fed
 * back as informer updates, evictions delete pods, events are recorded.
 */
final class FakeCluster implements Binder, Evictor, SchedulerEvents, AutoCloseable {
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final Map<String, Pod> pods = new LinkedHashMap<>();
  final Map<String, String> bindings = new LinkedHashMap<>();
  final List<String> evicted = new ArrayList<>();
  final Map<String, String> failures = new LinkedHashMap<>();
  final Map<String, String> nominations = new LinkedHashMap<>();
  RuntimeException bindFailure;
  final Scheduler scheduler;

  FakeCluster(int parallelism, int percentageOfNodesToScore) {
    SchedulerConfig config = SchedulerConfig.defaults().withParallelism(parallelism);
    config =
        new SchedulerConfig(
            config.parallelism(),
            percentageOfNodesToScore,
            config.assumedPodTtl(),
            config.initialBackoff(),
            config.maxBackoff(),
            config.maxUnschedulable());
    Random random = new Random(7);
    scheduler =
        new Scheduler(
            config,
            clock,
            random,
            DefaultProfile.plugins(DefaultProfile.Options.of(this, this, random)),
            Runnable::run,
            this);
  }

  FakeCluster() {
    this(2, 0);
  }

  FakeCluster nodes(Node... nodes) {
    for (Node n : nodes) {
      scheduler.handlers().onNodeAdd(n);
    }
    return this;
  }

  FakeCluster create(Pod... newPods) {
    for (Pod p : newPods) {
      clock.advance(java.time.Duration.ofMillis(1)); // FIFO among equal priorities
      pods.put(key(p), p);
      scheduler.handlers().onPodAdd(p);
    }
    return this;
  }

  /** Runs scheduling cycles until no pod is active. */
  FakeCluster scheduleAll() {
    while (scheduler.scheduleOneIfReady()) {
      // keep going
    }
    return this;
  }

  static String key(Pod p) {
    return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
  }

  @Override
  public void bind(Pod pod, String nodeName) {
    if (bindFailure != null) {
      throw bindFailure;
    }
    Pod bound =
        new PodBuilder(pods.get(key(pod))).editSpec().withNodeName(nodeName).endSpec().build();
    Pod old = pods.put(key(pod), bound);
    bindings.put(pod.getMetadata().getName(), nodeName);
    scheduler.handlers().onPodUpdate(old, bound);
  }

  @Override
  public void evict(Pod victim, Pod preemptor) {
    evicted.add(victim.getMetadata().getName());
    Pod gone = pods.remove(key(victim));
    scheduler.handlers().onPodDelete(gone);
  }

  @Override
  public void scheduled(Pod pod, String nodeName) {
    failures.remove(pod.getMetadata().getName());
  }

  @Override
  public void failed(Pod pod, String message, String reason, String nominatedNodeName) {
    failures.put(pod.getMetadata().getName(), reason + ": " + message);
    if (nominatedNodeName != null) {
      nominations.put(pod.getMetadata().getName(), nominatedNodeName);
      Pod withStatus =
          new PodBuilder(pods.get(key(pod)))
              .editStatus()
              .withNominatedNodeName(nominatedNodeName.isEmpty() ? null : nominatedNodeName)
              .endStatus()
              .build();
      Pod old = pods.put(key(pod), withStatus);
      scheduler.handlers().onPodUpdate(old, withStatus);
    }
  }

  @Override
  public void close() {
    scheduler.close();
  }
}
