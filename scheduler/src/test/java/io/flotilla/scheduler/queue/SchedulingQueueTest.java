package io.flotilla.scheduler.queue;

import static io.flotilla.scheduler.testutil.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.scheduler.framework.ClusterEvent;
import io.flotilla.scheduler.framework.ClusterEvent.EventResource;
import io.flotilla.scheduler.framework.QueuedPodInfo;
import io.flotilla.scheduler.plugins.prioritysort.PrioritySort;
import io.flotilla.scheduler.testutil.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SchedulingQueueTest {
  static final String FIT = "NodeResourcesFit";
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final SchedulingQueue queue =
      new SchedulingQueue(
          new PrioritySort(),
          clock,
          Map.of(FIT, List.of(ClusterEvent.of(EventResource.NODE, ClusterEvent.ADD))));

  /** Pops the pod and fails it as {@code plugin} would (none: an error). */
  QueuedPodInfo popAndFail(String... plugins) {
    QueuedPodInfo q = queue.tryPop();
    long cycle = queue.schedulingCycle();
    q.unschedulablePlugins().addAll(List.of(plugins));
    queue.addUnschedulableIfNotPresent(q, cycle);
    return q;
  }

  @Test
  void popsHigherPriorityFirstThenOlder() {
    queue.add(pod("low").priority(1).info());
    clock.advance(Duration.ofSeconds(1));
    queue.add(pod("high-newer").priority(10).info());
    queue.add(pod("low-newer").priority(1).info());
    clock.advance(Duration.ofSeconds(1));
    queue.add(pod("high-newest").priority(10).info());
    assertThat(Stream.generate(queue::tryPop).limit(4).map(q -> q.podInfo().name()))
        .containsExactly("high-newer", "high-newest", "low", "low-newer");
    assertThat(queue.tryPop()).isNull();
  }

  @Test
  void popBlocksUntilAPodArrives() {
    CompletableFuture<QueuedPodInfo> popped =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return queue.pop();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(popped).isNotDone();
    queue.add(pod("p").info());
    await().atMost(Duration.ofSeconds(10)).until(popped::isDone);
    assertThat(popped.join().podInfo().name()).isEqualTo("p");
  }

  @Test
  void closeReleasesABlockedPop() {
    CompletableFuture<QueuedPodInfo> popped =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return queue.pop();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    queue.close();
    await().atMost(Duration.ofSeconds(10)).until(popped::isDone);
    assertThat(popped.join()).isNull();
  }

  static Stream<Arguments> backoffs() {
    return Stream.of(
        Arguments.of(1, 1),
        Arguments.of(2, 2),
        Arguments.of(3, 4),
        Arguments.of(4, 8),
        Arguments.of(5, 10),
        Arguments.of(9, 10));
  }

  @ParameterizedTest(name = "after {0} attempts the backoff is {1}s")
  @MethodSource("backoffs")
  void backoffDoublesFromOneSecondUpToTen(int attempts, int seconds) {
    assertThat(queue.backoffDuration(attempts)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @Test
  void aPodThatFailedWithAnErrorWaitsOutItsBackoff() {
    queue.add(pod("p").info());
    popAndFail();
    assertThat(queue.backoffSize()).isEqualTo(1);
    clock.advance(Duration.ofMillis(999));
    queue.flushBackoffQCompleted();
    assertThat(queue.tryPop()).isNull();
    clock.advance(Duration.ofMillis(1));
    queue.flushBackoffQCompleted();
    QueuedPodInfo again = queue.tryPop();
    assertThat(again.podInfo().name()).isEqualTo("p");
    assertThat(again.attempts()).isEqualTo(2);
    queue.addUnschedulableIfNotPresent(again, queue.schedulingCycle());
    clock.advance(Duration.ofSeconds(1));
    queue.flushBackoffQCompleted();
    assertThat(queue.tryPop()).as("second backoff is 2s").isNull();
  }

  @Test
  void anUnschedulablePodMovesOnlyOnAnEventItsPluginRegistered() {
    queue.add(pod("p").info());
    popAndFail(FIT);
    assertThat(queue.unschedulableSize()).isEqualTo(1);
    queue.moveAllToActiveOrBackoffQueue(ClusterEvent.ASSIGNED_POD_ADD);
    assertThat(queue.unschedulableSize()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(2));
    queue.moveAllToActiveOrBackoffQueue(ClusterEvent.NODE_ADD);
    assertThat(queue.unschedulableSize()).isZero();
    assertThat(queue.tryPop().podInfo().name()).isEqualTo("p");
  }

  @Test
  void aPodMovedWhileStillBackingOffGoesToBackoffQ() {
    queue.add(pod("p").info());
    popAndFail(FIT);
    queue.moveAllToActiveOrBackoffQueue(ClusterEvent.NODE_ADD);
    assertThat(queue.backoffSize()).isEqualTo(1);
    assertThat(queue.tryPop()).isNull();
  }

  @Test
  void aPluginWithoutRegistrationsIsInterestedInEveryEvent() {
    queue.add(pod("p").info());
    popAndFail("SomeOtherPlugin");
    clock.advance(Duration.ofSeconds(2));
    queue.moveAllToActiveOrBackoffQueue(ClusterEvent.ASSIGNED_POD_DELETE);
    assertThat(queue.activeSize()).isEqualTo(1);
  }

  @Test
  void unschedulablePodsRetryAfterFiveMinutesWithoutEvents() {
    queue.add(pod("p").info());
    popAndFail(FIT);
    clock.advance(Duration.ofMinutes(5));
    queue.flushUnschedulablePodsLeftover();
    assertThat(queue.unschedulableSize()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    queue.flushUnschedulablePodsLeftover();
    assertThat(queue.activeSize()).isEqualTo(1);
  }

  @Test
  void anEventDuringThePodsCycleSendsItToBackoffInsteadOfWaiting() {
    queue.add(pod("p").info());
    QueuedPodInfo q = queue.tryPop();
    long cycle = queue.schedulingCycle();
    queue.moveAllToActiveOrBackoffQueue(ClusterEvent.NODE_ADD);
    q.unschedulablePlugins().add(FIT);
    queue.addUnschedulableIfNotPresent(q, cycle);
    assertThat(queue.unschedulableSize()).isZero();
    assertThat(queue.backoffSize()).isEqualTo(1);
  }

  @Test
  void updatingAnUnschedulablePodRetriesIt() {
    queue.add(pod("p").info());
    popAndFail(FIT);
    clock.advance(Duration.ofSeconds(5));
    queue.update(pod("p").label("fixed", "yes").info(), true);
    QueuedPodInfo q = queue.tryPop();
    assertThat(q.podInfo().labels()).containsEntry("fixed", "yes");
  }

  @Test
  void aStatusOnlyUpdateLeavesAnUnschedulablePodWaiting() {
    queue.add(pod("p").info());
    popAndFail(FIT);
    queue.update(pod("p").nominated("n1").info(), false);
    assertThat(queue.unschedulableSize()).isEqualTo(1);
  }

  @Test
  void deleteRemovesThePodWherever() {
    queue.add(pod("a").info());
    queue.add(pod("b").info());
    popAndFail(FIT);
    queue.delete(pod("a").info());
    queue.delete(pod("b").info());
    assertThat(queue.activeSize() + queue.backoffSize() + queue.unschedulableSize()).isZero();
  }

  @Test
  void aPodDeletedDuringItsCycleIsNotRequeued() {
    queue.add(pod("p").info());
    QueuedPodInfo q = queue.tryPop();
    long cycle = queue.schedulingCycle();
    queue.delete(pod("p").info());
    q.unschedulablePlugins().add(FIT);
    queue.addUnschedulableIfNotPresent(q, cycle);
    assertThat(queue.activeSize() + queue.backoffSize() + queue.unschedulableSize()).isZero();
  }

  @Test
  void nominatedPodsAreListedPerNode() {
    PodNominator nominator = queue.nominator();
    nominator.addNominatedPod(pod("a").info(), "n1");
    nominator.addNominatedPod(pod("b").info(), "n1");
    nominator.addNominatedPod(pod("a").info(), "n2");
    assertThat(nominator.nominatedPodsForNode("n1")).extracting(p -> p.name()).containsExactly("b");
    assertThat(nominator.nominatedNode("a")).isNull();
    assertThat(nominator.nominatedNode("default/a")).isEqualTo("n2");
  }
}
