package io.flotilla.apiserver.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.store.Store;
import io.flotilla.store.StoreUnavailableException;
import io.flotilla.store.Txn;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Store behaviours a real store cannot be made to show on demand: a store watch that breaks, one
 * that falls behind compaction, progress reports, several keys changed in one revision.
 */
class WatchCacheOnFakeStoreTest extends WatchCacheTestSupport {
  FakeStore fake;

  @Override
  Store openStore() {
    fake = new FakeStore();
    return fake;
  }

  @Test
  void waitForRevisionAdvancesOnStoreProgressForOtherKeys() {
    startCache();
    long other =
        store
            .txn(Txn.put("/registry/core/nodes/n1", "{}".getBytes(StandardCharsets.UTF_8)))
            .join()
            .revision();
    var waiting = cache.waitForRevision(other);
    fake.reportProgress();

    assertThat(waiting.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(other);
  }

  @Test
  void restartsABrokenStoreWatchWithoutLosingOrRepeatingEvents() {
    startCache();
    RecordingSink sink = watch(PODS, cache.revision(), null);
    long before = put("a", "p0", "web");
    await().until(() -> sink.revisions().contains(before));
    fake.breakWatches(new StoreUnavailableException("connection reset"));

    long after = put("a", "p1", "web");

    await().until(() -> sink.revisions().contains(after));
    // The restarted store watch replays the cache's last revision; it is not delivered again.
    assertThat(sink.revisions()).containsExactly(before, after);
    assertThat(sink.closed).isNotDone();
    assertThat(cache.list(PODS).objects()).hasSize(2);
  }

  @Test
  void relistsAfterCompactionAndEndsWatchesThatMissedEvents() {
    put("a", "gone", "web");
    startCache();
    RecordingSink sink = watch(PODS, cache.revision(), null);
    long last;
    synchronized (fake) { // the cache cannot re-watch until the history it needs is compacted
      fake.breakWatches(new StoreUnavailableException("connection reset"));
      delete("a", "gone");
      last = put("a", "new", "web");
      fake.compact(last);
    }

    await().until(() -> cache.revision() >= last && sink.closed.isDone());
    assertThat(sink.closed.join()).isInstanceOf(ResourceVersionTooOldException.class);
    assertThat(cache.list(PODS).objects())
        .extracting(CachedObject::key)
        .containsExactly(key("a", "new"));
    long after = put("a", "after", "web");
    RecordingSink again = watch(PODS, last, null);
    await().until(() -> again.revisions().contains(after));
  }

  @Test
  void appliesEveryDeleteOfALeaseRevokedInOneRevision() {
    startCache();
    long lease = fake.grantLease(60).join().id();
    long start = cache.revision();
    RecordingSink sink = watch(PODS, start, null);
    store.txn(Txn.create(key("a", "e1"), pod("a", "e1", "web"), lease)).join();
    store.txn(Txn.create(key("a", "e2"), pod("a", "e2", "web"), lease)).join();

    fake.revokeLease(lease).join();

    await().until(() -> sink.events.size() == 4);
    List<CacheEvent> deletes = sink.events.subList(2, 4);
    assertThat(deletes).extracting(CacheEvent::type).containsOnly(CacheEvent.Type.DELETED);
    assertThat(deletes.get(0).object().revision()).isEqualTo(deletes.get(1).object().revision());
    assertThat(cache.list(PODS).objects()).isEmpty();
  }
}
