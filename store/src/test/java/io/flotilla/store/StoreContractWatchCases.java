package io.flotilla.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Watches: catch-up from the past, filtering, and resuming after a close or a restart. */
abstract class StoreContractWatchCases extends StoreContractCases {

  StoreContractWatchCases(StoreContractTest contract) {
    super(contract);
  }

  @Test
  void aWatchFromAPastRevisionReplaysEveryChangeOnceInOrderWithPreviousValues() throws Exception {
    KeyValue a1 = put("/w/a", "a1").kv(); // 2
    KeyValue a2 = put("/w/a", "a2").kv(); // 3
    KeyValue b1 = put("/w/b", "b1").kv(); // 4
    delete("/w/a"); // 5

    RecordingListener listener = watch(WatchRequest.prefix("/w/", 2));
    List<WatchEvent> replayed = listener.awaitEvents(4);

    assertThat(replayed).extracting(WatchEvent::revision).containsExactly(2L, 3L, 4L, 5L);
    assertThat(replayed.get(0).type()).isEqualTo(WatchEvent.Type.PUT);
    assertThat(replayed.get(0).isCreate()).isTrue();
    assertThat(replayed.get(0).kv()).isEqualTo(a1);
    assertThat(replayed.get(1).kv()).isEqualTo(a2);
    assertThat(replayed.get(1).prevKv()).as("previous value on an update").isEqualTo(a1);
    assertThat(replayed.get(2).kv()).isEqualTo(b1);
    assertThat(replayed.get(2).prevKv()).isNull();
    WatchEvent deleted = replayed.get(3);
    assertThat(deleted.type()).isEqualTo(WatchEvent.Type.DELETE);
    assertThat(deleted.kv().key()).isEqualTo("/w/a");
    assertThat(deleted.kv().value()).isEmpty();
    assertThat(deleted.kv().modRevision()).isEqualTo(5);
    assertThat(deleted.kv().version()).isZero();
    assertThat(deleted.prevKv()).as("previous value on a delete").isEqualTo(a2);

    KeyValue live = put("/w/c", "c1").kv();
    List<WatchEvent> all = listener.awaitEvents(5);
    assertThat(all).hasSize(5);
    assertThat(all.get(4).kv()).as("a live change after the replay").isEqualTo(live);
    assertWellBehaved(listener);
  }

  @Test
  void aWatchStartingAtAFutureRevisionDeliversChangesFromThatRevisionOn() throws Exception {
    put("/w/k", "v2");

    RecordingListener listener = watch(WatchRequest.key("/w/k", 4));
    put("/w/k", "v3");
    put("/w/k", "v4");
    put("/w/k", "v5");

    assertThat(listener.awaitEvents(2)).extracting(WatchEvent::revision).containsExactly(4L, 5L);
    assertWellBehaved(listener);
  }

  @Test
  void aKeyWatchSeesOnlyThatKeyAndAPrefixWatchOnlyKeysUnderThePrefix() throws Exception {
    long start = currentRevision() + 1;
    RecordingListener key = watch(WatchRequest.key("/a/b", start));
    RecordingListener slashPrefix = watch(WatchRequest.prefix("/a/b/", start));
    RecordingListener rawPrefix = watch(WatchRequest.prefix("/a/b", start));

    for (String k : List.of("/a/b", "/a/b/x", "/a/bc", "/a/c", "/a/b/y")) {
      put(k, "v");
    }
    delete("/a/b");
    put("/z", "last");

    // Every watcher has seen its last event once the raw prefix watch has seen the delete.
    assertThat(keysOf(rawPrefix.awaitEvents(5)))
        .containsExactly("/a/b", "/a/b/x", "/a/bc", "/a/b/y", "/a/b");
    assertThat(keysOf(slashPrefix.awaitEvents(2))).containsExactly("/a/b/x", "/a/b/y");
    assertThat(key.awaitEvents(2))
        .extracting(WatchEvent::type)
        .containsExactly(WatchEvent.Type.PUT, WatchEvent.Type.DELETE);
    assertThat(keysOf(key.events())).containsOnly("/a/b");
    // A watch on a catch-all prefix proves the stream is complete up to /z.
    RecordingListener everything = watch(WatchRequest.prefix("/", start));
    assertThat(everything.awaitEvents(7).getLast().kv().key()).isEqualTo("/z");
    assertThat(keysOf(slashPrefix.events())).containsExactly("/a/b/x", "/a/b/y");
    assertThat(key.events()).hasSize(2);
    for (RecordingListener l : List.of(key, slashPrefix, rawPrefix, everything)) {
      assertWellBehaved(l);
    }
  }

  @ParameterizedTest(name = "after {0}")
  @ValueSource(strings = {"closing the watch", "restarting the store"})
  void aWatchResumedFromTheNextRevisionGetsExactlyTheRest(String interruption) throws Exception {
    long start = currentRevision() + 1;
    RecordingListener first = watch(WatchRequest.prefix("/r/", start));
    List<Long> written = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      written.add(put("/r/k" + (i % 3), "v" + i).revision());
    }
    List<WatchEvent> before = first.awaitEvents(6);
    long resumeFrom = before.getLast().revision() + 1;
    closeWatchesNow();
    if (interruption.startsWith("restarting")) {
      restartStore();
    }
    for (int i = 6; i < 12; i++) {
      written.add(put("/r/k" + (i % 3), "v" + i).revision());
    }

    RecordingListener second = watch(WatchRequest.prefix("/r/", resumeFrom));
    List<WatchEvent> after = second.awaitEvents(6);

    List<Long> seen = new ArrayList<>(before.stream().map(WatchEvent::revision).toList());
    seen.addAll(after.stream().map(WatchEvent::revision).toList());
    assertThat(seen).as("no gap, no duplicate").containsExactlyElementsOf(written);
    assertThat(written)
        .containsExactlyElementsOf(LongStream.range(start, start + 12).boxed().toList());
    assertThat(after.getFirst().prevKv())
        .as("previous value of the first resumed event")
        .isNotNull();
    assertThat(after.getFirst().prevKv().valueAsString()).isEqualTo("v3");
    assertWellBehaved(second);
  }
}
