package io.flotilla.scheduler;

import io.flotilla.scheduler.cache.SchedulerCache;
import io.flotilla.scheduler.cache.Snapshot;
import io.flotilla.scheduler.framework.ClusterEvent;
import io.flotilla.scheduler.framework.Code;
import io.flotilla.scheduler.framework.CycleState;
import io.flotilla.scheduler.framework.Diagnosis;
import io.flotilla.scheduler.framework.FitError;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.Parallelizer;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.PostFilterResult;
import io.flotilla.scheduler.framework.QueuedPodInfo;
import io.flotilla.scheduler.framework.Status;
import io.flotilla.scheduler.queue.PodNominator;
import io.flotilla.scheduler.queue.SchedulingQueue;
import io.flotilla.scheduler.runtime.FrameworkRuntime;
import io.flotilla.scheduler.runtime.PluginSpec;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

/**
 * Places pods on nodes one at a time: pop → PreFilter → Filter (a rotating sample of nodes, in
 * parallel) → PostFilter on failure → PreScore/Score → select → Reserve (assume in the cache) →
 * PreBind and Bind on the binding executor.
 *
 * <p>Threading: {@link #scheduleOne} runs on one scheduling thread; binding runs on {@code
 * bindExecutor}; the informer-facing methods ({@link ClusterEventHandlers}) may be called from any
 * thread, since the cache and the queue lock for themselves.
 */
public final class Scheduler implements AutoCloseable {
  static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
  static final int MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
  public static final String ERR_NO_NODES = "no nodes available to schedule pods";

  private final SchedulerConfig config;
  private final Clock clock;
  private final RandomGenerator random;
  private final Executor bindExecutor;
  private final SchedulerEvents events;
  private final Parallelizer parallelizer;
  private final SchedulerCache cache;
  private final Snapshot snapshot = new Snapshot();
  private final PodNominator nominator = new PodNominator();
  private final FrameworkRuntime runtime;
  private final SchedulingQueue queue;
  private final ClusterEventHandlers handlers;
  private int nextStartNodeIndex;

  public Scheduler(
      SchedulerConfig config,
      Clock clock,
      RandomGenerator random,
      List<PluginSpec> profile,
      Executor bindExecutor,
      SchedulerEvents events) {
    this.config = config;
    this.clock = clock;
    this.random = random;
    this.bindExecutor = bindExecutor;
    this.events = events;
    this.parallelizer = new Parallelizer(config.parallelism());
    this.cache = new SchedulerCache(clock, config.assumedPodTtl());
    this.runtime = new FrameworkRuntime(profile, parallelizer, clock, nominator, () -> snapshot);
    this.queue =
        new SchedulingQueue(
            runtime.queueSort(),
            clock,
            runtime.eventsByPlugin(),
            nominator,
            config.initialBackoff(),
            config.maxBackoff(),
            config.maxUnschedulable());
    this.handlers = new ClusterEventHandlers(cache, queue, config.schedulerName());
  }

  public SchedulingQueue queue() {
    return queue;
  }

  public SchedulerCache cache() {
    return cache;
  }

  public SchedulerConfig config() {
    return config;
  }

  public PodNominator nominator() {
    return nominator;
  }

  /** Where informers deliver nodes, pods and namespaces. */
  public ClusterEventHandlers handlers() {
    return handlers;
  }

  /** Periodic housekeeping (every second in production): backoffs, leftovers, expired pods. */
  public void tick() {
    queue.flushBackoffQCompleted();
    queue.flushUnschedulablePodsLeftover();
    // An expired assumed pod's binding was never observed; the informer will report where
    // the pod really is, so only the room it held is released here.
    if (!cache.cleanupExpiredAssumedPods().isEmpty()) {
      queue.moveAllToActiveOrBackoffQueue(ClusterEvent.ASSIGNED_POD_DELETE);
    }
  }

  /** Schedules the next pod, waiting for one; false once the queue is closed. */
  public boolean scheduleOne() throws InterruptedException {
    QueuedPodInfo q = queue.pop();
    if (q == null) {
      return false;
    }
    scheduleQueued(q);
    return true;
  }

  /** Schedules the next active pod if there is one; false when activeQ is empty. */
  public boolean scheduleOneIfReady() {
    QueuedPodInfo q = queue.tryPop();
    if (q == null) {
      return false;
    }
    scheduleQueued(q);
    return true;
  }

  private void scheduleQueued(QueuedPodInfo q) {
    long cycle = queue.schedulingCycle();
    PodInfo pod = q.podInfo();
    CycleState state = new CycleState();
    String host;
    try {
      host = schedulePod(state, q, cycle);
    } catch (RuntimeException e) {
      fail(
          q,
          cycle,
          e.getMessage() == null ? e.toString() : e.getMessage(),
          SchedulerEvents.REASON_SCHEDULER_ERROR,
          null,
          Set.of());
      return;
    }
    if (host == null) {
      return;
    }
    try {
      cache.assumePod(pod, host);
    } catch (IllegalStateException e) {
      // The informer already shows the pod bound (a racing binder): nothing left to do here.
      queue.done(pod.key());
      return;
    }
    Status reserved = runtime.runReservePluginsReserve(state, pod, host);
    if (!reserved.isSuccess()) {
      runtime.runReservePluginsUnreserve(state, pod, host);
      cache.forgetPod(pod);
      fail(q, cycle, reserved.message(), SchedulerEvents.REASON_SCHEDULER_ERROR, null, Set.of());
      return;
    }
    bindExecutor.execute(() -> bind(state, q, cycle, host));
  }

  /** The chosen node, or null when the pod failed (already requeued and reported). */
  private String schedulePod(CycleState state, QueuedPodInfo q, long cycle) {
    PodInfo pod = q.podInfo();
    cache.updateSnapshot(snapshot);
    if (snapshot.numNodes() == 0) {
      fail(q, cycle, ERR_NO_NODES, SchedulerEvents.REASON_UNSCHEDULABLE, null, Set.of());
      return null;
    }
    Diagnosis diagnosis = new Diagnosis();
    List<NodeInfo> feasible = findFeasibleNodes(state, pod, diagnosis);
    if (feasible == null) {
      return null; // unreachable: errors throw
    }
    if (feasible.isEmpty()) {
      PostFilterResult r = runtime.runPostFilterPlugins(state, pod, diagnosis.nodeToStatus());
      if (r.status().code() == Code.ERROR) {
        throw new IllegalStateException(r.status().message());
      }
      if (!r.status().isSuccess()) {
        diagnosis.setPostFilterMessage(r.status().message());
      }
      String message = FitError.message(snapshot.numNodes(), diagnosis);
      fail(
          q,
          cycle,
          message,
          SchedulerEvents.REASON_UNSCHEDULABLE,
          r.nominatedNodeName(),
          diagnosis.unschedulablePlugins());
      return null;
    }
    if (feasible.size() == 1) {
      return feasible.get(0).name();
    }
    Status s = runtime.runPreScorePlugins(state, pod, feasible);
    if (!s.isSuccess()) {
      throw new IllegalStateException("PreScore " + s.plugin() + ": " + s.message());
    }
    long[] scores = runtime.scoreNodes(state, pod, feasible);
    return feasible.get(selectHost(scores)).name();
  }

  /** Highest total wins; ties are broken uniformly at random (reservoir sampling). */
  int selectHost(long[] scores) {
    int selected = 0;
    long max = scores[0];
    int ties = 1;
    for (int i = 1; i < scores.length; i++) {
      if (scores[i] > max) {
        max = scores[i];
        selected = i;
        ties = 1;
      } else if (scores[i] == max && random.nextInt(++ties) == 0) {
        selected = i;
      }
    }
    return selected;
  }

  private List<NodeInfo> findFeasibleNodes(CycleState state, PodInfo pod, Diagnosis diagnosis) {
    Status pre = runtime.runPreFilterPlugins(state, pod);
    if (pre.code() == Code.ERROR) {
      throw new IllegalStateException("PreFilter " + pre.plugin() + ": " + pre.message());
    }
    if (!pre.isSuccess()) {
      diagnosis.setPreFilterMessage(pre.message());
      diagnosis.unschedulablePlugins().add(pre.plugin());
      for (NodeInfo n : snapshot.list()) {
        diagnosis.nodeToStatus().put(n.name(), pre);
      }
      return List.of();
    }
    List<NodeInfo> nominated = evaluateNominatedNode(state, pod);
    if (nominated != null) {
      return nominated;
    }
    return FeasibleNodeSearch.run(this, state, pod, diagnosis);
  }

  /** A pod that preemption nominated tries its node first: the room was made for it. */
  private List<NodeInfo> evaluateNominatedNode(CycleState state, PodInfo pod) {
    var status = pod.pod().getStatus();
    String name = status == null ? null : status.getNominatedNodeName();
    NodeInfo node = name == null || name.isEmpty() ? null : snapshot.get(name);
    if (node != null && runtime.runFilterPluginsWithNominatedPods(state, pod, node).isSuccess()) {
      return List.of(node);
    }
    return null;
  }

  /** How many feasible nodes to find before scoring: all on small clusters, a share on large. */
  int numFeasibleNodesToFind(int numAllNodes) {
    if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) {
      return numAllNodes;
    }
    int percentage = config.percentageOfNodesToScore();
    if (percentage == 0) {
      percentage = Math.max(50 - numAllNodes / 125, MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND);
    }
    int n = (int) ((long) numAllNodes * percentage / 100);
    return Math.max(n, MIN_FEASIBLE_NODES_TO_FIND);
  }

  private void bind(CycleState state, QueuedPodInfo q, long cycle, String host) {
    PodInfo pod = q.podInfo();
    Status s;
    try {
      s = runtime.runPreBindPlugins(state, pod, host);
      if (s.isSuccess()) {
        s = runtime.runBindPlugins(state, pod, host);
      }
    } catch (RuntimeException e) {
      s = Status.error(e);
    }
    if (s.isSuccess()) {
      cache.finishBinding(pod);
      queue.done(pod.key());
      nominator.deleteNominatedPodIfExists(pod);
      events.scheduled(pod.pod(), host);
      return;
    }
    runtime.runReservePluginsUnreserve(state, pod, host);
    cache.forgetPod(pod);
    // The room the pod held is free again: pods waiting on resources may fit now.
    queue.moveAllToActiveOrBackoffQueue(ClusterEvent.ASSIGNED_POD_DELETE);
    fail(
        q,
        cycle,
        "binding rejected: " + s.message(),
        SchedulerEvents.REASON_SCHEDULER_ERROR,
        null,
        Set.of());
  }

  private void fail(
      QueuedPodInfo q,
      long cycle,
      String message,
      String reason,
      String nominatedNodeName,
      Set<String> plugins) {
    q.unschedulablePlugins().clear();
    q.unschedulablePlugins().addAll(plugins);
    if (nominatedNodeName != null && !nominatedNodeName.isEmpty()) {
      nominator.addNominatedPod(q.podInfo(), nominatedNodeName);
    }
    queue.addUnschedulableIfNotPresent(q, cycle);
    events.failed(q.podInfo().pod(), message, reason, nominatedNodeName);
  }

  // ---- for FeasibleNodeSearch ----

  Snapshot snapshot() {
    return snapshot;
  }

  FrameworkRuntime runtime() {
    return runtime;
  }

  Parallelizer parallelizer() {
    return parallelizer;
  }

  int nextStartNodeIndex() {
    return nextStartNodeIndex;
  }

  void setNextStartNodeIndex(int i) {
    nextStartNodeIndex = i;
  }

  @Override
  public void close() {
    queue.close();
    parallelizer.close();
  }
}
