package io.flotilla.store.etcd;

import static io.flotilla.store.etcd.EtcdStoreTest.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.store.KeyValue;
import io.flotilla.store.Lease;
import io.flotilla.store.Store;
import io.flotilla.store.Txn;
import io.flotilla.store.Watch;
import io.flotilla.store.WatchEvent;
import io.flotilla.store.WatchRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Watches of {@link EtcdStore} against a real etcd server, including across its restart. */
// Watches are held open by try-with-resources for their scope, not referenced in it.
@SuppressWarnings("try")
class EtcdWatchTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static EtcdFixture etcd;
  private static Store store;
  private String p;

  @BeforeAll
  static void startEtcd() {
    etcd = EtcdFixture.start();
    store = etcd.store();
  }

  @AfterAll
  static void stopEtcd() {
    etcd.close();
  }

  @BeforeEach
  void prefix(TestInfo info) {
    p = "/" + info.getTestMethod().orElseThrow().getName() + "/";
  }

  @Test
  void deliversCreateUpdateAndDeleteWithPreviousValues() {
    RecordingListener listener = new RecordingListener();
    try (Watch w = store.watch(WatchRequest.prefix(p, 0), listener)) {
      awaitWatching(w, listener);
      KeyValue created = store.txn(Txn.create(p + "a", v("one"))).join().kv();
      KeyValue updated =
          store.txn(Txn.update(p + "a", v("two"), created.modRevision())).join().kv();
      long deleted = store.txn(Txn.delete(p + "a")).join().revision();

      await().atMost(DEADLINE).until(() -> eventsOf(listener, p + "a").size() == 3);
      List<WatchEvent> events = eventsOf(listener, p + "a");

      assertThat(events.get(0)).isEqualTo(new WatchEvent(WatchEvent.Type.PUT, created, null));
      assertThat(events.get(0).isCreate()).isTrue();
      assertThat(events.get(1)).isEqualTo(new WatchEvent(WatchEvent.Type.PUT, updated, created));
      WatchEvent delete = events.get(2);
      assertThat(delete.type()).isEqualTo(WatchEvent.Type.DELETE);
      assertThat(delete.kv().key()).isEqualTo(p + "a");
      assertThat(delete.kv().value()).isEmpty();
      assertThat(delete.kv().modRevision()).isEqualTo(deleted);
      assertThat(delete.kv().version()).isZero();
      assertThat(delete.prevKv()).isEqualTo(updated);
      assertThat(listener.misbehaved()).isFalse();
    }
  }

  @Test
  void replaysHistoryFromAPastStartRevision() {
    long first = store.txn(Txn.put(p + "a", v("1"))).join().revision();
    store.txn(Txn.put(p + "b", v("2"))).join();
    store.txn(Txn.put(p + "a", v("3"))).join();
    store.txn(Txn.put("/elsewhere", v("not watched"))).join();

    RecordingListener listener = new RecordingListener();
    try (Watch w = store.watch(WatchRequest.prefix(p, first + 1), listener)) {
      await().atMost(DEADLINE).until(() -> listener.events().size() >= 2);

      assertThat(listener.events())
          .extracting(e -> e.kv().key() + "=" + e.kv().valueAsString())
          .containsExactly(p + "b=2", p + "a=3");
    }
  }

  @Test
  void watchesOneKeyWithoutItsPrefixSiblings() {
    RecordingListener listener = new RecordingListener();
    long start = store.currentRevision().join() + 1;
    try (Watch w = store.watch(WatchRequest.key(p + "a", start), listener)) {
      store.txn(Txn.put(p + "ab", v("sibling"))).join();
      long mine = store.txn(Txn.put(p + "a", v("mine"))).join().revision();

      await().atMost(DEADLINE).until(() -> !listener.events().isEmpty());

      assertThat(listener.revisions()).containsExactly(mine);
    }
  }

  @Test
  void deliversConcurrentWritesOnceEachInRevisionOrder() throws Exception {
    RecordingListener listener = new RecordingListener();
    long start = store.currentRevision().join() + 1;
    int writers = 8;
    int perWriter = 40;
    try (Watch w = store.watch(WatchRequest.prefix(p, start), listener);
        ExecutorService pool = Executors.newFixedThreadPool(writers)) {
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        String key = p + "w" + i;
        done.add(
            CompletableFuture.runAsync(
                () -> {
                  for (int n = 0; n < perWriter; n++) {
                    store.txn(Txn.put(key, v("v" + n))).join();
                  }
                },
                pool));
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
      long end = store.currentRevision().join();

      await().atMost(DEADLINE).until(() -> listener.events().size() >= writers * perWriter);

      assertThat(listener.revisions())
          .containsExactlyElementsOf(LongStream.rangeClosed(start, end).boxed().toList());
      assertThat(listener.misbehaved()).isFalse();
    }
  }

  @Test
  void deliversTheDeletesOfAnExpiredLease() {
    Lease lease = store.grantLease(1).join();
    store.txn(Txn.create(p + "x", v("1"), lease.id())).join();
    store.txn(Txn.create(p + "y", v("2"), lease.id())).join();
    RecordingListener listener = new RecordingListener();
    long start = store.currentRevision().join() + 1;

    try (Watch w = store.watch(WatchRequest.prefix(p, start), listener)) {
      await().atMost(DEADLINE).until(() -> listener.events().size() >= 2);

      assertThat(listener.events())
          .allSatisfy(e -> assertThat(e.type()).isEqualTo(WatchEvent.Type.DELETE))
          .extracting(e -> e.prevKv().key())
          .containsExactlyInAnyOrder(p + "x", p + "y");
    }
  }

  @Test
  void reportsKeysWithoutTheStoresKeyPrefix() {
    Store prefixed = etcd.newStore(p + "tenant");
    RecordingListener listener = new RecordingListener();
    long start = prefixed.currentRevision().join() + 1;
    try (Watch w = prefixed.watch(WatchRequest.prefix("/", start), listener)) {
      store.txn(Txn.put("/outside", v("not mine"))).join();
      KeyValue created = prefixed.txn(Txn.create("/k", v("1"))).join().kv();
      KeyValue updated = prefixed.txn(Txn.put("/k", v("2"))).join().kv();

      await().atMost(DEADLINE).until(() -> listener.events().size() >= 2);

      assertThat(listener.events())
          .containsExactly(
              new WatchEvent(WatchEvent.Type.PUT, created, null),
              new WatchEvent(WatchEvent.Type.PUT, updated, created));
    }
  }

  @Test
  void stopsDeliveringOnceClosed() {
    RecordingListener closed = new RecordingListener();
    RecordingListener open = new RecordingListener();
    long start = store.currentRevision().join() + 1;
    Watch closing = store.watch(WatchRequest.prefix(p, start), closed);
    try (Watch stays = store.watch(WatchRequest.prefix(p, start), open)) {
      store.txn(Txn.put(p + "a", v("1"))).join();
      await().atMost(DEADLINE).until(() -> closed.events().size() == 1);

      closing.close();
      closing.close();
      store.txn(Txn.put(p + "a", v("2"))).join();
      await().atMost(DEADLINE).until(() -> open.events().size() == 2);

      assertThat(closed.events()).hasSize(1);
      assertThat(closed.errors()).isEmpty();
    }
  }

  /**
   * The watch loses its connection while etcd is down; changes made after the restart, before the
   * watch has reconnected, must come from history, and nothing seen before may come again.
   */
  @Test
  void resumesAcrossAnEtcdRestartWithoutLosingOrRepeatingChanges() {
    try (EtcdFixture own = EtcdFixture.start()) {
      Store watched = own.store();
      Store writer = own.newStore("");
      RecordingListener listener = new RecordingListener();
      long start = writer.currentRevision().join() + 1;
      try (Watch w = watched.watch(WatchRequest.prefix("/r/", start), listener)) {
        for (int i = 0; i < 20; i++) {
          writer.txn(Txn.put("/r/" + (i % 3), v("before" + i))).join();
        }
        await().atMost(DEADLINE).until(() -> listener.events().size() == 20);

        own.process().restart();
        for (int i = 0; i < 20; i++) {
          writer.txn(Txn.put("/r/" + (i % 3), v("after" + i))).join();
        }
        long end = writer.currentRevision().join();

        await().atMost(DEADLINE).until(() -> listener.revisions().size() >= 40);
        assertThat(listener.revisions())
            .containsExactlyElementsOf(LongStream.rangeClosed(start, end).boxed().toList());
        assertThat(listener.errors()).isEmpty();
        assertThat(listener.misbehaved()).isFalse();
      }
    }
  }

  /**
   * Writes to the watched prefix until the watch reports a write, proving it is established: a
   * watch from "now" misses writes made before etcd has created it.
   */
  private void awaitWatching(Watch w, RecordingListener listener) {
    await()
        .atMost(DEADLINE)
        .until(
            () -> {
              store.txn(Txn.put(p + "ready", v("ready"))).join();
              return !listener.events().isEmpty();
            });
  }

  private static List<WatchEvent> eventsOf(RecordingListener listener, String key) {
    return listener.events().stream().filter(e -> e.kv().key().equals(key)).toList();
  }
}
