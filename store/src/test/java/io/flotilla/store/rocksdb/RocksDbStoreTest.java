package io.flotilla.store.rocksdb;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flotilla.store.CompactedException;
import io.flotilla.store.FutureRevisionException;
import io.flotilla.store.InvalidRequestException;
import io.flotilla.store.KeyValue;
import io.flotilla.store.Lease;
import io.flotilla.store.LeaseNotFoundException;
import io.flotilla.store.RangeRequest;
import io.flotilla.store.RangeResult;
import io.flotilla.store.Store;
import io.flotilla.store.StoreException;
import io.flotilla.store.StoreUnavailableException;
import io.flotilla.store.Txn;
import io.flotilla.store.TxnResult;
import io.flotilla.store.WatchEvent;
import io.flotilla.store.WatchRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RocksDbStoreTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final DrivenClock clock = new DrivenClock();
  private final List<RocksDbStore> opened = new ArrayList<>();

  @AfterEach
  void closeStores() {
    opened.forEach(RocksDbStore::close);
  }

  private RocksDbStore open() {
    return open(RocksDbStore.Options.defaults());
  }

  private RocksDbStore open(RocksDbStore.Options options) {
    RocksDbStore s =
        RocksDbStore.open(
            dir, options.withClock(clock).withLeaseCheckInterval(Duration.ofMillis(20)));
    opened.add(s);
    return s;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static <T> T done(CompletableFuture<T> f) {
    return f.orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
  }

  private static StoreException failure(CompletableFuture<?> f) {
    Throwable t = f.handle((v, e) -> e).join();
    assertThat(t).as("the future failed").isNotNull();
    return StoreException.of(t);
  }

  @Test
  void startsAtRevisionOneAndTracksCreateModAndVersionPerKey() {
    RocksDbStore s = open();
    assertThat(done(s.currentRevision())).isEqualTo(1);

    TxnResult created = done(s.txn(Txn.create("/a", bytes("1"))));
    TxnResult updated = done(s.txn(Txn.update("/a", bytes("2"), created.revision())));
    TxnResult stale = done(s.txn(Txn.update("/a", bytes("3"), created.revision())));
    TxnResult deleted = done(s.txn(Txn.delete("/a")));
    TxnResult deletedAgain = done(s.txn(Txn.delete("/a")));

    assertThat(created.revision()).isEqualTo(2);
    assertThat(updated.kv()).isEqualTo(new KeyValue("/a", bytes("2"), 2, 3, 2, 0));
    assertThat(updated.prevKv()).isEqualTo(new KeyValue("/a", bytes("1"), 2, 2, 1, 0));
    assertThat(stale.succeeded()).isFalse();
    assertThat(stale.kv()).isEqualTo(updated.kv());
    assertThat(deleted.revision()).isEqualTo(4);
    assertThat(deleted.prevKv()).isEqualTo(updated.kv());
    assertThat(deletedAgain.revision()).as("a delete of an absent key writes nothing").isEqualTo(4);
    assertThat(done(s.currentRevision())).isEqualTo(4);
  }

  @Test
  void keepsTheRevisionAndEveryKeyAcrossCloseAndReopen() {
    RocksDbStore s = open();
    for (int i = 0; i < 50; i++) {
      done(s.txn(Txn.put("/k/" + (i % 7), bytes("v" + i))));
    }
    done(s.txn(Txn.delete("/k/3")));
    RangeResult before = done(s.range(RangeRequest.prefix("/k/")));
    s.close();

    RocksDbStore reopened = open();
    RangeResult after = done(reopened.range(RangeRequest.prefix("/k/")));

    assertThat(after.revision()).isEqualTo(52);
    assertThat(after.kvs()).isEqualTo(before.kvs()).hasSize(6);
    assertThat(done(reopened.txn(Txn.put("/k/x", bytes("x")))).revision()).isEqualTo(53);
  }

  @Test
  void readsAPastRevisionIncludingKeysDeletedOrChangedSince() {
    RocksDbStore s = open();
    done(s.txn(Txn.put("/p/a", bytes("a1")))); // 2
    done(s.txn(Txn.put("/p/b", bytes("b1")))); // 3
    done(s.txn(Txn.put("/p/a", bytes("a2")))); // 4
    done(s.txn(Txn.delete("/p/b"))); // 5
    done(s.txn(Txn.put("/p/c", bytes("c1")))); // 6

    RangeResult at3 = done(s.range(RangeRequest.prefix("/p/").atRevision(3)));
    RangeResult at5 = done(s.range(RangeRequest.prefix("/p/").atRevision(5)));

    assertThat(at3.kvs())
        .containsExactly(
            new KeyValue("/p/a", bytes("a1"), 2, 2, 1, 0),
            new KeyValue("/p/b", bytes("b1"), 3, 3, 1, 0));
    assertThat(at3.revision()).isEqualTo(3);
    assertThat(at5.kvs()).extracting(KeyValue::valueAsString).containsExactly("a2");
    assertThat(done(s.range(RangeRequest.prefix("/p/").atRevision(3).withLimit(1))))
        .satisfies(r -> assertThat(r.more()).isTrue())
        .satisfies(r -> assertThat(r.count()).isEqualTo(2));
  }

  @Test
  void compactionDropsOldHistoryKeepsReadsAndWatchesAboveItAndSurvivesReopen() {
    RocksDbStore s = open();
    for (int i = 0; i < 100; i++) {
      done(s.txn(Txn.put("/c/" + (i % 5), bytes("v" + i)))); // revisions 2..101
    }
    long compactAt = 90;
    assertThat(done(s.compact(compactAt))).isEqualTo(compactAt);
    // Kept: revisions 90..101 (12) and below 90 the latest put of each key (85..89).
    await().atMost(WAIT).until(() -> s.logEntryCount() == 17);

    assertThat(failure(s.range(RangeRequest.prefix("/c/").atRevision(89))))
        .isInstanceOf(CompactedException.class);
    assertThat(failure(s.compact(compactAt))).isInstanceOf(CompactedException.class);
    RangeResult at90 = done(s.range(RangeRequest.prefix("/c/").atRevision(compactAt)));
    assertThat(at90.kvs())
        .extracting(KeyValue::modRevision)
        .containsExactly(87L, 88L, 89L, 90L, 86L);

    RecordingListener fromCompactPoint = new RecordingListener();
    s.watch(WatchRequest.prefix("/c/", compactAt), fromCompactPoint);
    await().atMost(WAIT).until(() -> fromCompactPoint.events.size() == 12);
    assertThat(fromCompactPoint.events)
        .allSatisfy(e -> assertThat(e.prevKv()).as("prevKv of %s", e).isNotNull());
    RecordingListener belowCompactPoint = new RecordingListener();
    s.watch(WatchRequest.prefix("/c/", compactAt - 1), belowCompactPoint);
    await().atMost(WAIT).until(() -> belowCompactPoint.error.get() != null);
    assertThat(belowCompactPoint.error.get()).isInstanceOf(CompactedException.class);
    assertThat(belowCompactPoint.events).isEmpty();
    s.close();

    RocksDbStore reopened = open();
    assertThat(failure(reopened.range(RangeRequest.prefix("/c/").atRevision(89))))
        .isInstanceOf(CompactedException.class);
    assertThat(done(reopened.range(RangeRequest.prefix("/c/").atRevision(95))).kvs())
        .extracting(KeyValue::modRevision)
        .containsExactly(92L, 93L, 94L, 95L, 91L);
    assertThat(reopened.logEntryCount()).isEqualTo(17);
  }

  @Test
  void leaseExpiryOnTheDrivenClockDeletesAttachedKeysWithWatchEvents() {
    RocksDbStore s = open();
    Lease lease = done(s.grantLease(10));
    done(s.txn(Txn.create("/l/a", bytes("a"), lease.id())));
    done(s.txn(Txn.create("/l/b", bytes("b"), lease.id())));
    done(s.txn(Txn.put("/l/c", bytes("c"))));
    RecordingListener watcher = new RecordingListener();
    s.watch(WatchRequest.prefix("/l/", 0), watcher);

    clock.advance(Duration.ofSeconds(9));
    assertThat(done(s.keepAlive(lease.id()))).isEqualTo(10);
    clock.advance(Duration.ofSeconds(9));
    assertThat(done(s.get("/l/a"))).as("renewed lease keeps its keys").isNotNull();
    clock.advance(Duration.ofSeconds(2));

    await().atMost(WAIT).until(() -> watcher.events.size() == 2);
    assertThat(watcher.events)
        .allSatisfy(e -> assertThat(e.type()).isEqualTo(WatchEvent.Type.DELETE))
        .extracting(e -> e.prevKv().key())
        .containsExactly("/l/a", "/l/b");
    assertThat(watcher.revisions()).containsExactly(5L, 6L);
    assertThat(done(s.range(RangeRequest.prefix("/l/"))).kvs())
        .extracting(KeyValue::key)
        .containsExactly("/l/c");
    assertThat(failure(s.keepAlive(lease.id()))).isInstanceOf(LeaseNotFoundException.class);
    assertThat(failure(s.txn(Txn.create("/l/d", bytes("d"), lease.id()))))
        .isInstanceOf(LeaseNotFoundException.class);
  }

  @Test
  void leasesSurviveReopenWithAFreshTtlAndRevokeDeletesTheirKeys() {
    RocksDbStore s = open();
    Lease lease = done(s.grantLease(30));
    done(s.txn(Txn.create("/r/a", bytes("a"), lease.id())));
    clock.advance(Duration.ofSeconds(29));
    s.close();

    RocksDbStore reopened = open();
    clock.advance(Duration.ofSeconds(29));
    assertThat(done(reopened.keepAlive(lease.id()))).isEqualTo(30);
    done(reopened.revokeLease(lease.id()));

    assertThat(done(reopened.get("/r/a"))).isNull();
    assertThat(failure(reopened.revokeLease(lease.id())))
        .isInstanceOf(LeaseNotFoundException.class);
  }

  static Stream<Arguments> badRequests() {
    Function<Store, CompletableFuture<?>> emptyKey = s -> s.txn(Txn.put("", bytes("x")));
    Function<Store, CompletableFuture<?>> hugeValue =
        s -> s.txn(Txn.put("/bad/k", new byte[Store.MAX_VALUE_BYTES + 1]));
    Function<Store, CompletableFuture<?>> negativeLimit =
        s -> s.range(RangeRequest.prefix("/bad/").withLimit(-1));
    Function<Store, CompletableFuture<?>> futureRevision =
        s -> s.range(RangeRequest.prefix("/bad/").atRevision(1000));
    Function<Store, CompletableFuture<?>> zeroTtl = s -> s.grantLease(0);
    return Stream.of(
        Arguments.of("empty key", emptyKey, InvalidRequestException.class),
        Arguments.of("value over 1.5 MiB", hugeValue, InvalidRequestException.class),
        Arguments.of("negative limit", negativeLimit, InvalidRequestException.class),
        Arguments.of("future revision", futureRevision, FutureRevisionException.class),
        Arguments.of("zero lease TTL", zeroTtl, InvalidRequestException.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void rejectsBadInputWithTheRightErrorAndChangesNothing(
      String name, Function<Store, CompletableFuture<?>> request, Class<?> expected) {
    RocksDbStore s = open();
    done(s.txn(Txn.put("/bad/k", bytes("original"))));

    assertThat(failure(request.apply(s))).isInstanceOf(expected).hasMessageContaining("");

    assertThat(done(s.currentRevision())).isEqualTo(2);
    assertThat(done(s.get("/bad/k")).valueAsString()).isEqualTo("original");
  }

  @Test
  void concurrentWritersAreAllAcknowledgedWithDistinctRevisions() throws Exception {
    RocksDbStore s = open();
    int threads = 16;
    int perThread = 100;
    List<Long> revisions = java.util.Collections.synchronizedList(new ArrayList<>());
    RecordingListener watcher = new RecordingListener();
    s.watch(WatchRequest.prefix("/w/", 1), watcher);
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        pool.execute(
            () -> {
              for (int i = 0; i < perThread; i++) {
                String key = "/w/" + thread + "/" + (i % 10);
                revisions.add(done(s.txn(Txn.put(key, bytes("v" + i)))).revision());
              }
            });
      }
    }
    long total = (long) threads * perThread;

    assertThat(revisions).doesNotHaveDuplicates().hasSize((int) total);
    assertThat(revisions)
        .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(2, total + 1).boxed().toList());
    await().atMost(WAIT).until(() -> watcher.events.size() == total);
    assertThat(watcher.revisions())
        .as("delivered once each, in revision order")
        .isEqualTo(LongStream.rangeClosed(2, total + 1).boxed().toList());
  }

  @Test
  void aWatcherThatFallsBehindCatchesUpFromTheLogWithoutGapsOrDuplicates() throws Exception {
    RocksDbStore s = open(new RocksDbStore.Options(clock, 64, 1, Duration.ofMillis(20)));
    CountDownLatch gate = new CountDownLatch(1);
    RecordingListener slow =
        new RecordingListener() {
          @Override
          public void onEvents(List<WatchEvent> batch) {
            try {
              gate.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            super.onEvents(batch);
          }
        };
    s.watch(WatchRequest.prefix("/slow/", 0), slow);
    for (int i = 0; i < 200; i++) {
      done(s.txn(Txn.put("/slow/" + (i % 3), bytes("v" + i))));
    }
    gate.countDown();

    await().atMost(WAIT).until(() -> slow.events.size() == 200);
    assertThat(slow.revisions()).isEqualTo(LongStream.rangeClosed(2, 201).boxed().toList());
    assertThat(slow.events.subList(3, 200)).allSatisfy(e -> assertThat(e.prevKv()).isNotNull());
  }

  @Test
  void transactionsOnOneKeyInOneBatchSeeEachOther() {
    RocksDbStore s = open();
    List<CompletableFuture<TxnResult>> creates = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      creates.add(s.txn(Txn.create("/race", bytes("v" + i))));
    }
    List<TxnResult> results = creates.stream().map(RocksDbStoreTest::done).toList();

    assertThat(results).filteredOn(TxnResult::succeeded).hasSize(1);
    TxnResult winner = results.stream().filter(TxnResult::succeeded).findFirst().orElseThrow();
    assertThat(results)
        .filteredOn(r -> !r.succeeded())
        .allSatisfy(r -> assertThat(r.kv()).isEqualTo(winner.kv()));
    assertThat(done(s.currentRevision())).isEqualTo(2);
  }

  @Test
  void watchesOneKeyFromAPastRevisionWithPrevKvAndEtcdDeleteShape() {
    RocksDbStore s = open();
    done(s.txn(Txn.put("/one", bytes("1")))); // 2
    done(s.txn(Txn.put("/one2", bytes("other")))); // 3
    done(s.txn(Txn.put("/one", bytes("2")))); // 4
    done(s.txn(Txn.delete("/one"))); // 5
    RecordingListener watcher = new RecordingListener();
    io.flotilla.store.Watch w = s.watch(WatchRequest.key("/one", 2), watcher);
    await().atMost(WAIT).until(() -> watcher.events.size() == 3);
    w.close();
    done(s.txn(Txn.put("/one", bytes("3"))));

    assertThat(watcher.events.get(0).isCreate()).isTrue();
    assertThat(watcher.events.get(1).prevKv().valueAsString()).isEqualTo("1");
    WatchEvent delete = watcher.events.get(2);
    assertThat(delete.type()).isEqualTo(WatchEvent.Type.DELETE);
    assertThat(delete.kv()).isEqualTo(new KeyValue("/one", new byte[0], 0, 5, 0, 0));
    assertThat(delete.prevKv()).isEqualTo(new KeyValue("/one", bytes("2"), 2, 4, 2, 0));
    assertThat(watcher.revisions()).as("nothing after close").containsExactly(2L, 4L, 5L);
  }

  @Test
  void paginatesAPrefixWithFromKeyLimitAndCount() {
    RocksDbStore s = open();
    for (String k : List.of("/pg/a", "/pg/b", "/pg/c", "/pg/d", "/pgx")) {
      done(s.txn(Txn.put(k, bytes(k))));
    }

    RangeResult first = done(s.range(RangeRequest.prefix("/pg/").withLimit(2)));
    RangeResult rest = done(s.range(RangeRequest.prefix("/pg/").withFromKey("/pg/c").withLimit(2)));
    RangeResult count = done(s.range(RangeRequest.prefix("/pg/").withCountOnly()));

    assertThat(first.kvs()).extracting(KeyValue::key).containsExactly("/pg/a", "/pg/b");
    assertThat(first.more()).isTrue();
    assertThat(first.count()).isEqualTo(4);
    assertThat(rest.kvs()).extracting(KeyValue::key).containsExactly("/pg/c", "/pg/d");
    assertThat(rest.more()).isFalse();
    assertThat(rest.count()).isEqualTo(2);
    assertThat(count.kvs()).isEmpty();
    assertThat(count.count()).isEqualTo(4);
  }

  @Test
  void everyWriteRacingWithCloseEitherCommitsDurablyOrFailsAsUnavailable() {
    RocksDbStore s = open();
    List<CompletableFuture<TxnResult>> writes =
        java.util.Collections.synchronizedList(new ArrayList<>());
    Thread writer =
        Thread.ofPlatform()
            .start(
                () -> {
                  for (int i = 0; i < 2000; i++) {
                    writes.add(s.txn(Txn.put("/close/" + i, bytes("v"))));
                  }
                });
    await().atMost(WAIT).until(() -> writes.size() > 100);
    s.close();
    await().atMost(WAIT).until(() -> !writer.isAlive());

    List<String> committed = new ArrayList<>();
    for (int i = 0; i < writes.size(); i++) {
      CompletableFuture<TxnResult> f = writes.get(i);
      Throwable error = f.handle((r, e) -> e).orTimeout(20, TimeUnit.SECONDS).join();
      if (error != null) {
        assertThat(failure(f)).isInstanceOf(StoreUnavailableException.class);
      } else {
        committed.add("/close/" + i);
      }
    }
    RocksDbStore reopened = open();
    assertThat(done(reopened.range(RangeRequest.prefix("/close/"))).count())
        .isEqualTo(committed.size());
  }

  @Test
  void closingTheStoreEndsWatchesAndRefusesFurtherWork() {
    RocksDbStore s = open();
    RecordingListener watcher = new RecordingListener();
    s.watch(WatchRequest.prefix("/x/", 0), watcher);
    s.close();

    await().atMost(WAIT).until(() -> watcher.error.get() != null);
    assertThat(watcher.error.get()).isInstanceOf(StoreUnavailableException.class);
    assertThat(failure(s.txn(Txn.put("/x/a", bytes("a")))))
        .isInstanceOf(StoreUnavailableException.class);
    assertThat(failure(s.range(RangeRequest.key("/x/a"))))
        .isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(() -> s.watch(WatchRequest.key("", 0), watcher))
        .isInstanceOf(InvalidRequestException.class);
  }
}
