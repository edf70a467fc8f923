package io.flotilla.scheduler.queue;

import io.flotilla.scheduler.framework.ClusterEvent;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.QueueSortPlugin;
import io.flotilla.scheduler.framework.QueuedPodInfo;
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
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

/**
 * The pods waiting to be scheduled, in three places:
 *
 * <ul>
 *   <li><b>activeQ</b>: ready now, a heap in the order of the QueueSort plugin;
 *   <li><b>backoffQ</b>: failed recently, ordered by when their backoff (1 s doubling to 10 s per
 *       attempt) ends; {@link #flushBackoffQCompleted} moves the ripe ones to activeQ;
 *   <li><b>unschedulable pods</b>: rejected by plugins; they leave only on a cluster event one of
 *       those plugins registered for ({@link #moveAllToActiveOrBackoffQueue}) or after at most five
 *       minutes ({@link #flushUnschedulablePodsLeftover}).
 * </ul>
 *
 * <p>If a cluster event arrives while a pod is being scheduled, that pod goes to backoffQ on
 * failure rather than to the unschedulable set, so the event is not lost.
 *
 * <p>Threading: every method takes one lock; {@link #pop} blocks on it until a pod is active or the
 * queue is closed. Time comes only from the injected Clock; the caller drives the flushes (a
 * periodic task in production, directly in tests).
 */
public final class SchedulingQueue {
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
  public static final Duration DEFAULT_MAX_UNSCHEDULABLE = Duration.ofMinutes(5);

  private final Clock clock;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration maxUnschedulable;
  private final Map<String, List<ClusterEvent>> eventsByPlugin;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final KeyedHeap<QueuedPodInfo> activeQ;
  private final KeyedHeap<QueuedPodInfo> backoffQ;
  private final Map<String, QueuedPodInfo> unschedulable = new HashMap<>();

  /** Pods popped and not yet requeued or done; a delete meanwhile must not resurrect them. */
  private final Set<String> inFlight = new HashSet<>();

  private final Set<String> deletedInFlight = new HashSet<>();
  private final PodNominator nominator;
  private long schedulingCycle;
  private long moveRequestCycle = -1;
  private boolean closed;

  /**
   * @param eventsByPlugin for each plugin that implements EnqueueExtensions, its events; a plugin
   *     absent from the map is taken to care about every event
   */
  public SchedulingQueue(
      QueueSortPlugin sort,
      Clock clock,
      Map<String, List<ClusterEvent>> eventsByPlugin,
      PodNominator nominator,
      Duration initialBackoff,
      Duration maxBackoff,
      Duration maxUnschedulable) {
    this.clock = clock;
    this.nominator = nominator;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.maxUnschedulable = maxUnschedulable;
    this.eventsByPlugin = Map.copyOf(eventsByPlugin);
    Comparator<QueuedPodInfo> bySort = (a, b) -> sort.less(a, b) ? -1 : sort.less(b, a) ? 1 : 0;
    this.activeQ = new KeyedHeap<>(q -> q.podInfo().key(), bySort);
    this.backoffQ =
        new KeyedHeap<>(q -> q.podInfo().key(), Comparator.comparing(this::backoffExpiry));
  }

  public SchedulingQueue(QueueSortPlugin sort, Clock clock, Map<String, List<ClusterEvent>> ev) {
    this(
        sort,
        clock,
        ev,
        new PodNominator(),
        DEFAULT_INITIAL_BACKOFF,
        DEFAULT_MAX_BACKOFF,
        DEFAULT_MAX_UNSCHEDULABLE);
  }

  public PodNominator nominator() {
    return nominator;
  }

  /** A new pending pod (from the informer); an already queued pod is updated instead. */
  public void add(PodInfo pod) {
    lock.lock();
    try {
      if (contains(pod.key())) {
        updateLocked(pod);
        return;
      }
      activeQ.addOrUpdate(new QueuedPodInfo(pod, clock.instant()));
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The pending pod changed. When its spec or labels changed ({@code mayNowFit}) an unschedulable
   * pod is retried; a status-only change (nominatedNodeName, conditions written after a failure)
   * just replaces the queued object.
   */
  public void update(PodInfo pod, boolean mayNowFit) {
    lock.lock();
    try {
      if (!contains(pod.key())) {
        activeQ.addOrUpdate(new QueuedPodInfo(pod, clock.instant()));
        notEmpty.signal();
        return;
      }
      QueuedPodInfo waiting = unschedulable.get(pod.key());
      if (waiting != null && !mayNowFit) {
        waiting.setPodInfo(pod);
        return;
      }
      updateLocked(pod);
    } finally {
      lock.unlock();
    }
  }

  private void updateLocked(PodInfo pod) {
    QueuedPodInfo q = activeQ.get(pod.key());
    if (q != null) {
      q.setPodInfo(pod);
      activeQ.addOrUpdate(q);
      return;
    }
    q = backoffQ.get(pod.key());
    if (q != null) {
      q.setPodInfo(pod);
      backoffQ.addOrUpdate(q);
      return;
    }
    q = unschedulable.remove(pod.key());
    q.setPodInfo(pod);
    requeueLocked(q);
  }

  /** The pod was deleted or got bound by someone else. */
  public void delete(PodInfo pod) {
    lock.lock();
    try {
      activeQ.remove(pod.key());
      backoffQ.remove(pod.key());
      unschedulable.remove(pod.key());
      if (inFlight.contains(pod.key())) {
        deletedInFlight.add(pod.key());
      }
      nominator.deleteNominatedPodIfExists(pod);
    } finally {
      lock.unlock();
    }
  }

  /** Blocks until a pod is active; null once the queue is closed. Starts a scheduling cycle. */
  public QueuedPodInfo pop() throws InterruptedException {
    lock.lock();
    try {
      while (activeQ.size() == 0 && !closed) {
        notEmpty.await();
      }
      return closed ? null : popLocked();
    } finally {
      lock.unlock();
    }
  }

  /** Like {@link #pop} but returns null at once when activeQ is empty. */
  public QueuedPodInfo tryPop() {
    lock.lock();
    try {
      return activeQ.size() == 0 ? null : popLocked();
    } finally {
      lock.unlock();
    }
  }

  private QueuedPodInfo popLocked() {
    QueuedPodInfo q = activeQ.poll();
    inFlight.add(q.podInfo().key());
    q.incrementAttempts();
    schedulingCycle++;
    return q;
  }

  /** The number of pods popped so far; pass the value read at pop to the requeue call. */
  public long schedulingCycle() {
    lock.lock();
    try {
      return schedulingCycle;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Puts back a pod whose cycle failed. Pods rejected by plugins wait in the unschedulable set,
   * unless an event arrived during their cycle; pods that failed with an error back off.
   */
  public void addUnschedulableIfNotPresent(QueuedPodInfo q, long podSchedulingCycle) {
    lock.lock();
    try {
      String key = q.podInfo().key();
      inFlight.remove(key);
      if (deletedInFlight.remove(key) || contains(key)) {
        return;
      }
      q.setTimestamp(clock.instant());
      if (q.unschedulablePlugins().isEmpty() || moveRequestCycle >= podSchedulingCycle) {
        backoffQ.addOrUpdate(q);
      } else {
        unschedulable.put(key, q);
      }
    } finally {
      lock.unlock();
    }
  }

  /** The popped pod was bound: the queue forgets it. */
  public void done(String podKey) {
    lock.lock();
    try {
      inFlight.remove(podKey);
      deletedInFlight.remove(podKey);
    } finally {
      lock.unlock();
    }
  }

  /** A cluster event: moves the unschedulable pods it may help to backoffQ or activeQ. */
  public void moveAllToActiveOrBackoffQueue(ClusterEvent event) {
    lock.lock();
    try {
      for (QueuedPodInfo q : new ArrayList<>(unschedulable.values())) {
        if (interestedIn(q, event)) {
          unschedulable.remove(q.podInfo().key());
          requeueLocked(q);
        }
      }
      moveRequestCycle = schedulingCycle;
    } finally {
      lock.unlock();
    }
  }

  private boolean interestedIn(QueuedPodInfo q, ClusterEvent event) {
    if (event.resource() == ClusterEvent.EventResource.WILDCARD
        || q.unschedulablePlugins().isEmpty()) {
      return true;
    }
    for (String plugin : q.unschedulablePlugins()) {
      List<ClusterEvent> registered = eventsByPlugin.get(plugin);
      if (registered == null) {
        return true;
      }
      for (ClusterEvent r : registered) {
        if (event.matches(r)) {
          return true;
        }
      }
    }
    return false;
  }

  private void requeueLocked(QueuedPodInfo q) {
    if (isBackingOff(q)) {
      backoffQ.addOrUpdate(q);
    } else {
      activeQ.addOrUpdate(q);
      notEmpty.signal();
    }
  }

  /** Moves pods whose backoff has ended to activeQ. */
  public void flushBackoffQCompleted() {
    lock.lock();
    try {
      Instant now = clock.instant();
      while (backoffQ.size() > 0 && !backoffExpiry(backoffQ.peek()).isAfter(now)) {
        activeQ.addOrUpdate(backoffQ.poll());
        notEmpty.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Retries pods that have been unschedulable for longer than the maximum. */
  public void flushUnschedulablePodsLeftover() {
    lock.lock();
    try {
      Instant now = clock.instant();
      for (QueuedPodInfo q : new ArrayList<>(unschedulable.values())) {
        if (Duration.between(q.timestamp(), now).compareTo(maxUnschedulable) > 0) {
          unschedulable.remove(q.podInfo().key());
          requeueLocked(q);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** The backoff of a pod after {@code attempts} attempts: 1 s, 2 s, 4 s, 8 s, 10 s, 10 s … */
  public Duration backoffDuration(int attempts) {
    Duration d = initialBackoff;
    for (int i = 1; i < attempts; i++) {
      if (d.compareTo(maxBackoff.minus(d)) > 0) {
        return maxBackoff;
      }
      d = d.plus(d);
    }
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }

  private Instant backoffExpiry(QueuedPodInfo q) {
    return q.timestamp().plus(backoffDuration(q.attempts()));
  }

  private boolean isBackingOff(QueuedPodInfo q) {
    return backoffExpiry(q).isAfter(clock.instant());
  }

  private boolean contains(String key) {
    return activeQ.contains(key) || backoffQ.contains(key) || unschedulable.containsKey(key);
  }

  public void close() {
    lock.lock();
    try {
      closed = true;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  public int activeSize() {
    return sized(activeQ::size);
  }

  public int backoffSize() {
    return sized(backoffQ::size);
  }

  public int unschedulableSize() {
    return sized(unschedulable::size);
  }

  private int sized(IntSupplier size) {
    lock.lock();
    try {
      return size.getAsInt();
    } finally {
      lock.unlock();
    }
  }
}
