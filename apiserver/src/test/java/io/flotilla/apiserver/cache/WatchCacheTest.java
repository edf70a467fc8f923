package io.flotilla.apiserver.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flotilla.store.Store;
import io.flotilla.store.StoreUnavailableException;
import io.flotilla.store.Txn;
import io.flotilla.store.TxnResult;
import io.flotilla.store.rocksdb.RocksDbStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The watch cache on the embedded RocksDB store; {@link WatchCacheOnEtcdTest} reruns it on etcd.
 */
class WatchCacheTest extends WatchCacheTestSupport {
  @TempDir Path dir;

  @Override
  Store openStore() {
    return RocksDbStore.open(dir);
  }

  @Test
  void listsEveryObjectLoadedInitiallyInKeyOrderWithTheirResourceVersions() {
    long r1 = put("b", "p1", "web");
    long r2 = put("a", "p2", "db");
    long r3 = put("a", "p1", "web");
    startCache();

    Snapshot all = cache.list(PODS);

    assertThat(all.revision()).isEqualTo(r3);
    assertThat(all.objects())
        .extracting(CachedObject::key, CachedObject::revision)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(key("a", "p1"), r3),
            org.assertj.core.groups.Tuple.tuple(key("a", "p2"), r2),
            org.assertj.core.groups.Tuple.tuple(key("b", "p1"), r1));
    assertThat(all.objects().getFirst().object().at("/metadata/resourceVersion").asText())
        .isEqualTo(Long.toString(r3));
  }

  @Test
  void listsOneNamespaceByItsPrefixAndFollowsLaterWrites() {
    put("a", "p1", "web");
    put("ab", "p1", "web");
    startCache();
    long r = put("a", "p2", "web");
    await().until(() -> cache.revision() >= r);

    Snapshot a = cache.list(PODS + "a/");

    assertThat(a.revision()).isEqualTo(r);
    assertThat(a.objects())
        .extracting(CachedObject::key)
        .containsExactly(key("a", "p1"), key("a", "p2"));
  }

  @Test
  void getsOneObjectByKey() {
    long r = put("a", "p1", "web");
    startCache();

    assertThat(cache.get(key("a", "p1")).revision()).isEqualTo(r);
    assertThat(cache.get(key("a", "missing"))).isNull();
  }

  @Test
  void rejectsAPrefixOutsideItsResource() {
    startCache();
    assertThatThrownBy(() -> cache.list("/registry/apps/deployments/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(PODS);
  }

  @Test
  void watchFromZeroSendsAnAddedPerObjectThenLiveEvents() {
    long r1 = put("a", "p1", "web");
    long r2 = put("b", "p2", "web");
    startCache();
    RecordingSink sink = watch(PODS, 0, null);

    long r3 = put("a", "p1", "db");
    long r4 = delete("b", "p2");

    await().until(() -> sink.events.size() == 4);
    assertThat(sink.summary())
        .containsExactly(
            "ADDED " + key("a", "p1") + " @" + r1,
            "ADDED " + key("b", "p2") + " @" + r2,
            "MODIFIED " + key("a", "p1") + " @" + r3,
            "DELETED " + key("b", "p2") + " @" + r4);
  }

  @Test
  void watchFromARevisionReplaysOnlyLaterEventsUnderItsPrefix() {
    startCache();
    put("a", "p1", "web");
    long r2 = put("a", "p2", "web");
    put("b", "p1", "web");
    long r4 = put("a", "p1", "db");
    await().until(() -> cache.revision() >= r4);

    RecordingSink sink = watch(PODS + "a/", r2, null);
    long r5 = put("a", "p3", "web");

    await().until(() -> sink.events.size() == 2);
    assertThat(sink.summary())
        .containsExactly(
            "MODIFIED " + key("a", "p1") + " @" + r4, "ADDED " + key("a", "p3") + " @" + r5);
  }

  @Test
  void watchFromARevisionOlderThanTheWindowIsGone() {
    startCache(WatchCacheOptions.defaults().withWindow(3, Duration.ofMinutes(5)));
    List<Long> revisions = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      revisions.add(put("a", "p" + i, "web"));
    }
    await().until(() -> cache.revision() >= revisions.getLast());
    long oldest = revisions.get(2); // changes 3..5 are held, so resuming after 2 still works

    assertThatThrownBy(() -> watch(PODS, revisions.get(1), null))
        .isInstanceOf(ResourceVersionTooOldException.class)
        .hasMessage("too old resource version: %d (%d)", revisions.get(1), oldest);
    RecordingSink sink = watch(PODS, oldest, null);
    await().until(() -> sink.events.size() == 3);
    assertThat(sink.revisions()).containsExactlyElementsOf(revisions.subList(3, 6));
    assertThat(cache.windowSize()).isEqualTo(3);
  }

  @Test
  void changesOlderThanTheWindowAgeLeaveIt() {
    MutableClock clock = new MutableClock();
    startCache(
        WatchCacheOptions.defaults().withWindow(100, Duration.ofSeconds(75)).withClock(clock));
    long first = put("a", "p1", "web");
    long second = put("a", "p2", "web");
    await().until(() -> cache.revision() >= second);
    clock.advance(Duration.ofSeconds(76));
    long third = put("a", "p3", "web"); // applying it evicts the two aged changes
    await().until(() -> cache.revision() >= third);

    assertThat(cache.windowSize()).isEqualTo(1);
    assertThatThrownBy(() -> watch(PODS, first, null))
        .isInstanceOf(ResourceVersionTooOldException.class);
    RecordingSink sink = watch(PODS, second, null);
    await().until(() -> sink.events.size() == 1);
    assertThat(sink.revisions()).containsExactly(third);
  }

  @Test
  void watchFromZeroWithASelectorSendsOnlyMatchingObjects() {
    put("a", "p1", "web");
    long db = put("a", "p2", "db");
    long web = put("a", "p3", "web");
    startCache();

    RecordingSink sink = watch(PODS, 0, WEB);
    long joined = put("a", "p2", "web");

    await().until(() -> sink.events.size() == 3);
    assertThat(sink.summary())
        .containsExactly(
            "ADDED " + key("a", "p1") + " @" + (db - 1),
            "ADDED " + key("a", "p3") + " @" + web,
            "ADDED " + key("a", "p2") + " @" + joined);
  }

  @Test
  void closingAWatchStopsDeliveryAndReportsAnOrdinaryEnd() {
    startCache();
    RecordingSink sink = new RecordingSink();
    CacheWatch w = cache.watch(PODS, cache.revision(), null, sink);
    long r = put("a", "p1", "web");
    await().until(() -> sink.revisions().contains(r));

    w.close();
    await().until(sink.closed::isDone);
    put("a", "p2", "web");
    long marker = put("a", "p3", "web");
    RecordingSink other = watch(PODS, r, null);
    await().until(() -> other.revisions().contains(marker));

    assertThat(sink.closed.join()).isNotInstanceOf(Throwable.class);
    assertThat(sink.revisions()).containsExactly(r);
    assertThat(cache.watchCount()).isEqualTo(1);
  }

  @Test
  void aSinkThatThrowsEndsOnlyItsOwnWatch() {
    startCache();
    RecordingSink failing =
        new RecordingSink() {
          @Override
          void handle(CacheEvent event) {
            throw new IllegalStateException("client went away");
          }
        };
    toClose.add(cache.watch(PODS, cache.revision(), null, failing));
    RecordingSink healthy = watch(PODS, cache.revision(), null);

    long r1 = put("a", "p1", "web");
    long r2 = put("a", "p2", "web");

    await().until(() -> failing.closed.isDone() && healthy.revisions().contains(r2));
    assertThat(failing.closed.join())
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("client went away");
    assertThat(healthy.revisions()).containsExactly(r1, r2);
  }

  @Test
  void closingTheCacheEndsEveryWatchAndFailsWaiters() {
    startCache();
    RecordingSink sink = watch(PODS, 0, null);
    var waiting = cache.waitForRevision(cache.revision() + 10);

    cache.close();

    await().until(sink.closed::isDone);
    assertThat(sink.closed.join()).isNotInstanceOf(Throwable.class);
    assertThat(waiting)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> cache.list(PODS)).isInstanceOf(IllegalStateException.class);
  }

  static Stream<Arguments> selectorTransitions() {
    return Stream.of(
        Arguments.of("matching before and after", "web", "web", CacheEvent.Type.MODIFIED, "web"),
        Arguments.of("starts matching", "db", "web", CacheEvent.Type.ADDED, "web"),
        Arguments.of("stops matching", "web", "db", CacheEvent.Type.DELETED, "web"),
        Arguments.of("never matching", "db", "cache", null, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("selectorTransitions")
  void appliesTheSelectorToBothVersionsOfAnUpdate(
      String name, String before, String after, CacheEvent.Type expected, String expectedApp) {
    startCache();
    long created = put("a", "p1", before);
    await().until(() -> cache.revision() >= created);
    RecordingSink sink = watch(PODS, created, WEB);

    long updated = put("a", "p1", after);
    long marker = put("a", "marker", "web"); // proves anything before it has been delivered

    await().until(() -> sink.revisions().contains(marker));
    List<CacheEvent> forP1 =
        sink.events.stream().filter(e -> e.object().key().equals(key("a", "p1"))).toList();
    if (expected == null) {
      assertThat(forP1).isEmpty();
    } else {
      assertThat(forP1).hasSize(1);
      CacheEvent e = forP1.getFirst();
      assertThat(e.type()).isEqualTo(expected);
      assertThat(e.object().revision()).isEqualTo(updated);
      assertThat(e.object().object().at("/metadata/labels/app").asText()).isEqualTo(expectedApp);
      assertThat(e.object().object().at("/metadata/resourceVersion").asText())
          .isEqualTo(Long.toString(updated));
    }
  }

  @Test
  void deletedEventsCarryTheLastStateAtTheDeletingRevision() {
    startCache();
    long created = put("a", "p1", "web");
    await().until(() -> cache.revision() >= created);
    RecordingSink sink = watch(PODS, created, null);

    long deleted = delete("a", "p1");

    await().until(() -> sink.events.size() == 1);
    CacheEvent e = sink.events.getFirst();
    assertThat(e.type()).isEqualTo(CacheEvent.Type.DELETED);
    assertThat(e.object().revision()).isEqualTo(deleted);
    assertThat(e.object().object().at("/metadata/resourceVersion").asText())
        .isEqualTo(Long.toString(deleted));
    assertThat(e.object().object().at("/metadata/labels/app").asText()).isEqualTo("web");
    assertThat(cache.list(PODS).objects()).isEmpty();
  }

  @Test
  void deletesEveryKeyOfARevokedLease() {
    startCache();
    long lease = store.grantLease(60).join().id();
    long start = cache.revision();
    RecordingSink sink = watch(PODS, start, null);
    store.txn(Txn.create(key("a", "e1"), pod("a", "e1", "web"), lease)).join();
    store.txn(Txn.create(key("a", "e2"), pod("a", "e2", "web"), lease)).join();

    store.revokeLease(lease).join();

    await().until(() -> sink.events.size() == 4);
    List<CacheEvent> deletes = sink.events.subList(2, 4);
    assertThat(deletes).extracting(CacheEvent::type).containsOnly(CacheEvent.Type.DELETED);
    assertThat(cache.list(PODS).objects()).isEmpty();
  }

  @Test
  void closesASlowConsumerWithoutHoldingBackOthers() throws Exception {
    startCache(WatchCacheOptions.defaults().withWatchQueueSize(5));
    CountDownLatch release = new CountDownLatch(1);
    RecordingSink slow =
        new RecordingSink() {
          @Override
          void handle(CacheEvent event) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    toClose.add(cache.watch(PODS, cache.revision(), null, slow));
    RecordingSink fast = watch(PODS, cache.revision(), null);

    for (int i = 0; i < 20; i++) {
      int sent = i + 1;
      put("a", "p" + i, "web");
      // Pace the writes to the fast watcher so that only the stalled one can fall behind.
      await().until(() -> fast.events.size() == sent);
    }

    assertThat(slow.closed).isNotDone();
    assertThat(cache.watchCount()).isEqualTo(1); // the slow one is already detached
    release.countDown();
    await().until(slow.closed::isDone);
    assertThat(slow.events).hasSizeLessThan(20);
    assertThat(fast.closed).isNotDone();
  }

  @Test
  void waitForRevisionCompletesOnceTheCacheHasAppliedIt() {
    startCache();
    long r = cache.revision();
    assertThat(cache.waitForRevision(r)).isCompletedWithValue(r);

    var waiting = cache.waitForRevision(r + 1);
    long written = put("a", "p1", "web");

    assertThat(waiting.orTimeout(10, TimeUnit.SECONDS).join()).isGreaterThanOrEqualTo(written);
  }

  @Test
  void waitForRevisionFailsWithTooLargeResourceVersionWhenNeverReached() {
    startCache(WatchCacheOptions.defaults().withFreshnessTimeout(Duration.ofMillis(100)));
    long current = cache.revision();

    assertThatThrownBy(() -> cache.waitForRevision(current + 100).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(TooLargeResourceVersionException.class)
        .hasMessage("Too large resource version: %d, current: %d", current + 100, current);
  }

  @Test
  void sendsBookmarksAtTheCurrentRevisionToIdleWatchesThatAskForThem() {
    startCache(
        WatchCacheOptions.defaults().withBookmarks(Duration.ofMillis(50), Duration.ofMillis(10)));
    long r = put("a", "p1", "web");
    await().until(() -> cache.revision() >= r);
    RecordingSink withBookmarks = new RecordingSink();
    toClose.add(cache.watch(PODS, r - 1, null, true, withBookmarks));
    RecordingSink without = watch(PODS, r - 1, null);

    await().until(() -> !withBookmarks.bookmarks.isEmpty());
    assertThat(withBookmarks.bookmarks.getFirst()).isEqualTo(r);
    assertThat(withBookmarks.revisions()).containsExactly(r);
    await().until(() -> without.events.size() == 1);
    assertThat(without.bookmarks).isEmpty();
  }

  @Test
  void listsTenThousandObjectsQuickly() {
    // Pipelined, at most 100 in flight, so that a real store is not swamped.
    List<java.util.concurrent.CompletableFuture<TxnResult>> writes = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      if (writes.size() == 100) {
        writes.forEach(java.util.concurrent.CompletableFuture::join);
        writes.clear();
      }
      writes.add(
          store.txn(Txn.put(key("ns" + i % 10, "p" + i), pod("ns" + i % 10, "p" + i, "web"))));
    }
    writes.forEach(java.util.concurrent.CompletableFuture::join);
    startCache();
    Snapshot warm = cache.list(PODS);
    long[] micros = new long[50];
    Snapshot all = null;
    for (int i = 0; i < micros.length; i++) {
      long start = System.nanoTime();
      all = cache.list(PODS);
      micros[i] = (System.nanoTime() - start) / 1_000;
    }
    java.util.Arrays.sort(micros);
    // A figure for the report, not an assertion: timings depend on the machine.
    System.out.printf(
        "listed %d cached objects: median %d us, min %d us%n",
        all.objects().size(), micros[micros.length / 2], micros[0]);
    assertThat(all.objects()).hasSize(10_000).isEqualTo(warm.objects());
    assertThat(cache.list(PODS + "ns3/").objects()).hasSize(1_000);
  }

  @Test
  void everyWatcherSeesEveryChangeUnderItsPrefixOnceAndInOrderUnderConcurrentWrites()
      throws Exception {
    // Queues hold every write, so that a watcher starved of CPU is slow but not ended.
    startCache(WatchCacheOptions.defaults().withWatchQueueSize(2_000));
    put("n0", "seed", "web");
    long start = store.currentRevision().join();
    await().until(() -> cache.revision() >= start);
    List<String> namespaces = List.of("n0", "n1", "n2");
    List<RecordingSink> sinks = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String prefix = i % 4 == 0 ? PODS : PODS + namespaces.get(i % 3) + "/";
      prefixes.add(prefix);
      sinks.add(watch(prefix, start, null));
    }
    List<TxnResult> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      int writer = w;
      writers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < 250; i++) {
                      String ns = namespaces.get((writer + i) % 3);
                      String name = "p" + (i % 7);
                      Txn txn =
                          i % 5 == 4
                              ? Txn.delete(key(ns, name))
                              : Txn.put(key(ns, name), pod(ns, name, "w" + writer));
                      TxnResult r = store.txn(txn).join();
                      if (r.prevKv() != null || txn.op() instanceof Txn.Put) {
                        acknowledged.add(r);
                      }
                    }
                  }));
    }
    for (Thread t : writers) {
      t.join();
    }
    Map<String, List<Long>> expected = new java.util.HashMap<>();
    for (String prefix :
        Stream.concat(Stream.of(PODS), namespaces.stream().map(n -> PODS + n + "/")).toList()) {
      expected.put(
          prefix,
          acknowledged.stream()
              .filter(r -> (r.kv() != null ? r.kv().key() : r.prevKv().key()).startsWith(prefix))
              .map(TxnResult::revision)
              .sorted()
              .toList());
    }

    for (int i = 0; i < sinks.size(); i++) {
      RecordingSink sink = sinks.get(i);
      List<Long> want = expected.get(prefixes.get(i));
      await().atMost(Duration.ofSeconds(30)).until(() -> sink.events.size() >= want.size());
      assertThat(sink.revisions())
          .as("watcher %d on %s", i, prefixes.get(i))
          .containsExactlyElementsOf(want);
      assertThat(sink.overlapped).isFalse();
    }
  }

  @Test
  void deliversEveryWriteToAHundredWatchers() {
    startCache();
    long start = cache.revision();
    List<Map<Long, Long>> receivedAt = new ArrayList<>();
    List<RecordingSink> sinks = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      Map<Long, Long> times = new java.util.concurrent.ConcurrentHashMap<>();
      receivedAt.add(times);
      RecordingSink sink =
          new RecordingSink() {
            @Override
            void handle(CacheEvent event) {
              times.put(event.object().revision(), System.nanoTime());
            }
          };
      sinks.add(sink);
      toClose.add(cache.watch(PODS, start, null, sink));
    }
    Map<Long, Long> writtenAt = new java.util.HashMap<>();
    List<Long> written = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      long before = System.nanoTime();
      long r = put("n" + i % 5, "p" + i % 20, "web");
      writtenAt.put(r, before);
      written.add(r);
      // One write in flight at a time, so that the figure is latency rather than backlog.
      await().until(() -> receivedAt.stream().allMatch(m -> m.containsKey(r)));
    }

    for (RecordingSink sink : sinks) {
      await().until(() -> sink.events.size() >= written.size());
      assertThat(sink.revisions()).containsExactlyElementsOf(written);
    }
    long[] micros =
        receivedAt.stream()
            .flatMap(m -> m.entrySet().stream())
            .mapToLong(e -> (e.getValue() - writtenAt.get(e.getKey())) / 1_000)
            .sorted()
            .toArray();
    // A figure for the report, not an assertion: timings depend on the machine.
    System.out.printf(
        "write-to-delivery over 100 watchers: p50 %d us, p99 %d us, max %d us%n",
        micros[micros.length / 2], micros[micros.length * 99 / 100], micros[micros.length - 1]);
  }
}
