package io.flotilla.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Revisions, compare-and-write and per-key revision tracking. */
abstract class StoreContractWriteCases extends StoreContractCases {

  StoreContractWriteCases(StoreContractTest contract) {
    super(contract);
  }

  @Test
  void anEmptyStoreIsAtRevisionOneAndHoldsNoKeys() throws Exception {
    assertThat(currentRevision()).isEqualTo(1);
    RangeResult all = range(RangeRequest.prefix("/"));
    assertThat(all.kvs()).isEmpty();
    assertThat(all.count()).isZero();
    assertThat(all.revision()).isEqualTo(1);
  }

  @Test
  void everyWriteRaisesTheRevisionByExactlyOne() throws Exception {
    assertThat(put("/a", "1").revision()).isEqualTo(2);
    assertThat(put("/a", "2").revision()).isEqualTo(3);
    assertThat(put("/b", "1").revision()).isEqualTo(4);
    assertThat(delete("/a").revision()).isEqualTo(5);
    assertThat(currentRevision()).isEqualTo(5);
  }

  @Test
  void createIfAbsentSucceedsOnceAndThenFailsWithTheCurrentKey() throws Exception {
    TxnResult first = txn(Txn.create("/pods/web", bytes("v1")));
    assertThat(first.succeeded()).isTrue();
    assertThat(first.prevKv()).isNull();
    assertThat(first.kv().valueAsString()).isEqualTo("v1");

    TxnResult second = txn(Txn.create("/pods/web", bytes("v2")));

    assertThat(second.succeeded()).isFalse();
    assertThat(second.kv()).as("the current key").isEqualTo(first.kv());
    assertThat(second.revision()).isEqualTo(first.revision());
    assertThat(get("/pods/web").valueAsString()).isEqualTo("v1");
    assertThat(currentRevision()).isEqualTo(first.revision());
  }

  @Test
  void updateWithAStaleModRevisionFailsAndChangesNothing() throws Exception {
    TxnResult created = put("/k", "v1");
    TxnResult updated = txn(Txn.update("/k", bytes("v2"), created.revision()));
    assertThat(updated.succeeded()).isTrue();

    TxnResult stale = txn(Txn.update("/k", bytes("v3"), created.revision()));

    assertThat(stale.succeeded()).isFalse();
    assertThat(stale.kv()).as("the current key").isEqualTo(updated.kv());
    assertThat(stale.revision()).isEqualTo(updated.revision());
    assertThat(get("/k")).isEqualTo(updated.kv());
    assertThat(currentRevision()).isEqualTo(updated.revision());
  }

  @Test
  void updateWithTheCurrentModRevisionSucceedsAndReturnsThePreviousKey() throws Exception {
    TxnResult created = put("/k", "v1");

    TxnResult updated = txn(Txn.update("/k", bytes("v2"), created.revision()));

    assertThat(updated.succeeded()).isTrue();
    assertThat(updated.prevKv()).isEqualTo(created.kv());
    assertThat(updated.kv().valueAsString()).isEqualTo("v2");
    assertThat(updated.kv().modRevision()).isEqualTo(updated.revision());
  }

  @Test
  void updateOfAnAbsentKeyWithARevisionFailsAndCreatesNothing() throws Exception {
    put("/other", "x");

    TxnResult r = txn(Txn.update("/missing", bytes("v"), 2));

    assertThat(r.succeeded()).isFalse();
    assertThat(r.kv()).isNull();
    assertThat(get("/missing")).isNull();
    assertThat(currentRevision()).isEqualTo(2);
  }

  @Test
  void deleteIfUnchangedDeletesOnlyAtTheExpectedModRevision() throws Exception {
    TxnResult created = put("/k", "v1");
    TxnResult updated = put("/k", "v2");

    TxnResult stale = txn(Txn.delete("/k", created.revision()));
    assertThat(stale.succeeded()).isFalse();
    assertThat(stale.kv()).isEqualTo(updated.kv());
    assertThat(get("/k")).isEqualTo(updated.kv());
    assertThat(currentRevision()).isEqualTo(updated.revision());

    TxnResult deleted = txn(Txn.delete("/k", updated.revision()));
    assertThat(deleted.succeeded()).isTrue();
    assertThat(deleted.prevKv()).isEqualTo(updated.kv());
    assertThat(deleted.revision()).isEqualTo(updated.revision() + 1);
    assertThat(get("/k")).isNull();
  }

  @Test
  void deletingAnAbsentKeyWritesNothing() throws Exception {
    put("/present", "x");

    TxnResult r = delete("/absent");

    assertThat(r.prevKv()).isNull();
    assertThat(r.revision()).isEqualTo(2);
    assertThat(currentRevision()).isEqualTo(2);
  }

  @Test
  void aKeyTracksCreateRevisionModRevisionAndVersionAcrossUpdates() throws Exception {
    put("/unrelated", "x");
    KeyValue v1 = put("/k", "a").kv();
    put("/unrelated", "y");
    KeyValue v2 = put("/k", "b").kv();
    KeyValue v3 = put("/k", "c").kv();

    assertThat(v1.createRevision()).isEqualTo(3);
    assertThat(v1.modRevision()).isEqualTo(3);
    assertThat(v1.version()).isEqualTo(1);
    assertThat(v2.createRevision()).isEqualTo(3);
    assertThat(v2.modRevision()).isEqualTo(5);
    assertThat(v2.version()).isEqualTo(2);
    assertThat(v3.createRevision()).isEqualTo(3);
    assertThat(v3.modRevision()).isEqualTo(6);
    assertThat(v3.version()).isEqualTo(3);
    assertThat(get("/k")).isEqualTo(v3);
  }

  @Test
  void aKeyDeletedAndCreatedAgainStartsANewGenerationAtVersionOne() throws Exception {
    put("/k", "a");
    put("/k", "b");
    delete("/k");

    TxnResult again = txn(Txn.create("/k", bytes("c")));

    assertThat(again.succeeded()).as("create-if-absent after a delete").isTrue();
    assertThat(again.prevKv()).isNull();
    assertThat(again.kv().createRevision()).isEqualTo(5);
    assertThat(again.kv().modRevision()).isEqualTo(5);
    assertThat(again.kv().version()).isEqualTo(1);
    assertThat(get("/k")).isEqualTo(again.kv());
  }

  @Test
  void getReturnsTheLatestValueOrNullWhenTheKeyIsAbsent() throws Exception {
    assertThat(get("/k")).isNull();
    put("/k", "a");
    KeyValue latest = put("/k", "b").kv();

    assertThat(get("/k")).isEqualTo(latest);
    assertThat(get("/k").valueAsString()).isEqualTo("b");
    assertThat(get("/k").lease()).isZero();
    assertThat(get("/k2")).isNull();
  }

  @Test
  void anEmptyValueIsStoredAndReadBackAsEmpty() throws Exception {
    txn(Txn.put("/empty", new byte[0]));

    KeyValue kv = get("/empty");

    assertThat(kv).isNotNull();
    assertThat(kv.value()).isEmpty();
  }

  @Test
  void binaryValuesComeBackByteForByte() throws Exception {
    byte[] value = new byte[256];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) i;
    }
    txn(Txn.put("/binary", value));

    assertThat(get("/binary").value()).isEqualTo(value);
  }
}
