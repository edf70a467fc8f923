package io.flotilla.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reads at past revisions, future revisions, and compaction. */
abstract class StoreContractHistoryCases extends StoreContractCases {

  StoreContractHistoryCases(StoreContractTest contract) {
    super(contract);
  }

  @Test
  void aReadAtAPastRevisionSeesTheStateOfThatRevision() throws Exception {
    KeyValue a1 = put("/h/a", "a1").kv();
    KeyValue gone = put("/h/gone", "here").kv();
    long past = currentRevision();
    put("/h/a", "a2");
    delete("/h/gone");
    put("/h/later", "not yet");

    RangeResult then = range(RangeRequest.prefix("/h/").atRevision(past));

    assertThat(then.kvs()).as("as of revision %d", past).containsExactly(a1, gone);
    assertThat(then.count()).isEqualTo(2);
    assertThat(then.revision()).as("the revision the read was served at").isEqualTo(past);
    assertThat(range(RangeRequest.key("/h/later").atRevision(past)).kvs())
        .as("a key created after the revision")
        .isEmpty();
    assertThat(keys(range(RangeRequest.prefix("/h/"))))
        .as("the latest state")
        .containsExactly("/h/a", "/h/later");
  }

  @Test
  void aReadAtTheFirstRevisionSeesAnEmptyStore() throws Exception {
    put("/k", "v");

    RangeResult r = range(RangeRequest.prefix("/").atRevision(1));

    assertThat(r.kvs()).isEmpty();
    assertThat(r.count()).isZero();
  }

  @Test
  void aReadAboveTheCurrentRevisionFailsWithFutureRevision() throws Exception {
    put("/k", "v");

    StoreException e = failure(store().range(RangeRequest.key("/k").atRevision(3)));

    assertThat(e).isInstanceOf(FutureRevisionException.class);
    assertThat(((FutureRevisionException) e).requestedRevision()).isEqualTo(3);
    assertThat(range(RangeRequest.key("/k").atRevision(2)).kvs()).hasSize(1);
  }

  @Test
  void compactionKeepsTheLatestValueOfEveryKey() throws Exception {
    put("/c/a", "a1");
    put("/c/b", "b1");
    put("/c/a", "a2");
    put("/c/gone", "x");
    delete("/c/gone");
    RangeResult before = range(RangeRequest.prefix("/c/"));

    assertThat(resultOf(store().compact(currentRevision()))).isEqualTo(before.revision());

    RangeResult after = range(RangeRequest.prefix("/c/"));
    assertThat(after.kvs()).isEqualTo(before.kvs());
    assertThat(keys(after)).containsExactly("/c/a", "/c/b");
    assertThat(put("/c/a", "a3").kv().version())
        .as("versions continue after compaction")
        .isEqualTo(3);
  }

  @Test
  void readsAndWatchesBelowTheCompactionPointFailWithCompacted() throws Exception {
    for (int i = 0; i < 5; i++) {
      put("/c/k", "v" + i);
    }
    long compactAt = 4;
    resultOf(store().compact(compactAt));

    StoreException read =
        failure(store().range(RangeRequest.key("/c/k").atRevision(compactAt - 1)));
    RecordingListener watcher = watch(WatchRequest.key("/c/k", compactAt - 1));
    StoreException watchError = watcher.awaitError();

    assertThat(read).isInstanceOf(CompactedException.class);
    assertThat(((CompactedException) read).requestedRevision()).isEqualTo(compactAt - 1);
    assertThat(watchError).isInstanceOf(CompactedException.class);
    assertThat(watcher.events()).as("a compacted watch delivers nothing").isEmpty();
    assertThat(range(RangeRequest.key("/c/k")).kvs().getFirst().valueAsString()).isEqualTo("v4");
  }

  @Test
  void compactingAtOrBelowTheCompactionPointFailsWithCompacted() throws Exception {
    for (int i = 0; i < 4; i++) {
      put("/c/k", "v" + i);
    }
    resultOf(store().compact(3));

    assertThat(failure(store().compact(3))).isInstanceOf(CompactedException.class);
    assertThat(failure(store().compact(2))).isInstanceOf(CompactedException.class);
    assertThat(resultOf(store().compact(4))).isEqualTo(4);
  }
}
