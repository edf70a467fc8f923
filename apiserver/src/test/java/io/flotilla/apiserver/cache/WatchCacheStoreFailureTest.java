package io.flotilla.apiserver.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.store.Store;
import io.flotilla.store.StoreUnavailableException;
import io.flotilla.store.Txn;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How the cache rides out a store watch that breaks or falls behind compaction. */
class WatchCacheStoreFailureTest extends WatchCacheTestSupport {
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
}
