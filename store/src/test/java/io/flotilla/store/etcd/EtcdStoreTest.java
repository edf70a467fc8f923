package io.flotilla.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
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
import io.flotilla.store.WatchRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link EtcdStore} against a real etcd server, shared by the tests of this class. Each test works
 * under its own key prefix and reads revisions relative to the store's current one, so tests do not
 * depend on each other.
 */
class EtcdStoreTest {
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
    p = "/" + info.getTestMethod().orElseThrow().getName() + info.getDisplayName().hashCode() + "/";
  }

  @Test
  void createsAnAbsentKeyAndReportsItAsWritten() {
    TxnResult r = store.txn(Txn.create(p + "a", v("one"))).join();

    assertThat(r.succeeded()).isTrue();
    assertThat(r.prevKv()).isNull();
    assertThat(r.kv()).isEqualTo(new KeyValue(p + "a", v("one"), r.revision(), r.revision(), 1, 0));
    assertThat(store.get(p + "a").join()).isEqualTo(r.kv());
    assertThat(store.currentRevision().join()).isEqualTo(r.revision());
  }

  @Test
  void refusesToCreateAnExistingKeyAndReturnsItsCurrentValue() {
    KeyValue existing = store.txn(Txn.create(p + "a", v("one"))).join().kv();

    TxnResult r = store.txn(Txn.create(p + "a", v("two"))).join();

    assertThat(r.succeeded()).isFalse();
    assertThat(r.kv()).isEqualTo(existing);
    assertThat(r.prevKv()).isNull();
    assertThat(r.revision()).isEqualTo(existing.modRevision());
  }

  @Test
  void updatesWhenTheModRevisionMatchesKeepingCreateRevisionAndCountingVersions() {
    KeyValue first = store.txn(Txn.create(p + "a", v("one"))).join().kv();

    TxnResult r = store.txn(Txn.update(p + "a", v("two"), first.modRevision())).join();

    assertThat(r.succeeded()).isTrue();
    assertThat(r.revision()).isEqualTo(first.modRevision() + 1);
    assertThat(r.prevKv()).isEqualTo(first);
    assertThat(r.kv())
        .isEqualTo(new KeyValue(p + "a", v("two"), first.createRevision(), r.revision(), 2, 0));
    assertThat(store.get(p + "a").join()).isEqualTo(r.kv());
  }

  @Test
  void refusesAStaleUpdateAndChangesNothing() {
    KeyValue first = store.txn(Txn.create(p + "a", v("one"))).join().kv();
    KeyValue second = store.txn(Txn.update(p + "a", v("two"), first.modRevision())).join().kv();

    TxnResult r = store.txn(Txn.update(p + "a", v("three"), first.modRevision())).join();

    assertThat(r.succeeded()).isFalse();
    assertThat(r.kv()).isEqualTo(second);
    assertThat(r.revision()).isEqualTo(second.modRevision());
    assertThat(store.get(p + "a").join()).isEqualTo(second);
  }

  @Test
  void putsWithoutACompareWhetherOrNotTheKeyExists() {
    TxnResult created = store.txn(Txn.put(p + "a", v("one"))).join();
    TxnResult replaced = store.txn(Txn.put(p + "a", v("two"))).join();

    assertThat(created.succeeded()).isTrue();
    assertThat(created.kv().version()).isEqualTo(1);
    assertThat(replaced.succeeded()).isTrue();
    assertThat(replaced.prevKv()).isEqualTo(created.kv());
    assertThat(replaced.kv().version()).isEqualTo(2);
    assertThat(store.get(p + "a").join().valueAsString()).isEqualTo("two");
  }

  @Test
  void deletesWhenTheModRevisionMatchesAndReturnsThePreviousValue() {
    KeyValue kv = store.txn(Txn.create(p + "a", v("one"))).join().kv();

    TxnResult r = store.txn(Txn.delete(p + "a", kv.modRevision())).join();

    assertThat(r.succeeded()).isTrue();
    assertThat(r.revision()).isEqualTo(kv.modRevision() + 1);
    assertThat(r.prevKv()).isEqualTo(kv);
    assertThat(r.kv()).isNull();
    assertThat(store.get(p + "a").join()).isNull();
  }

  @Test
  void refusesAStaleDeleteAndKeepsTheKey() {
    KeyValue first = store.txn(Txn.create(p + "a", v("one"))).join().kv();
    KeyValue second = store.txn(Txn.put(p + "a", v("two"))).join().kv();

    TxnResult r = store.txn(Txn.delete(p + "a", first.modRevision())).join();

    assertThat(r.succeeded()).isFalse();
    assertThat(r.kv()).isEqualTo(second);
    assertThat(store.get(p + "a").join()).isEqualTo(second);
  }

  @Test
  void deletingAnAbsentKeyWritesNothing() {
    long before = store.currentRevision().join();

    TxnResult r = store.txn(Txn.delete(p + "absent")).join();

    assertThat(r.succeeded()).isTrue();
    assertThat(r.revision()).isEqualTo(before);
    assertThat(r.prevKv()).isNull();
    assertThat(store.currentRevision().join()).isEqualTo(before);
  }

  @Test
  void readsAPrefixInByteOrderWithoutItsNeighbours() {
    for (String k : List.of("b", "a", "c/deep")) {
      store.txn(Txn.put(p + "dir/" + k, v(k))).join();
    }
    store.txn(Txn.put(p + "dir0", v("neighbour"))).join();
    store.txn(Txn.put(p + "dir", v("the prefix itself, without slash"))).join();

    RangeResult r = store.range(RangeRequest.prefix(p + "dir/")).join();

    assertThat(keys(r)).containsExactly(p + "dir/a", p + "dir/b", p + "dir/c/deep");
    assertThat(r.count()).isEqualTo(3);
    assertThat(r.more()).isFalse();
    assertThat(r.revision()).isEqualTo(store.currentRevision().join());
  }

  @Test
  void paginatesWithLimitAndFromKeyVisitingEveryKeyOnce() {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      all.add(p + "k" + i);
      store.txn(Txn.put(p + "k" + i, v("v" + i))).join();
    }
    RangeResult first = store.range(RangeRequest.prefix(p).withLimit(3)).join();
    assertThat(first.more()).isTrue();
    assertThat(first.count()).isEqualTo(7);

    List<String> seen = new ArrayList<>(keys(first));
    RangeResult page = first;
    while (page.more()) {
      String next = page.kvs().getLast().key() + "\0";
      page =
          store
              .range(
                  RangeRequest.prefix(p)
                      .withFromKey(next)
                      .withLimit(3)
                      .atRevision(first.revision()))
              .join();
      assertThat(page.count()).isEqualTo(7 - seen.size());
      seen.addAll(keys(page));
    }

    assertThat(seen).containsExactlyElementsOf(all);
  }

  @Test
  void readsAPastRevision() {
    KeyValue one = store.txn(Txn.put(p + "a", v("one"))).join().kv();
    store.txn(Txn.put(p + "a", v("two"))).join();
    store.txn(Txn.put(p + "b", v("later"))).join();

    RangeResult r = store.range(RangeRequest.prefix(p).atRevision(one.modRevision())).join();

    assertThat(r.kvs()).containsExactly(one);
  }

  @Test
  void countsWithoutReturningKeyValues() {
    for (int i = 0; i < 4; i++) {
      store.txn(Txn.put(p + i, v("x"))).join();
    }

    RangeResult r = store.range(RangeRequest.prefix(p).withCountOnly()).join();

    assertThat(r.kvs()).isEmpty();
    assertThat(r.count()).isEqualTo(4);
  }

  @Test
  void readsAndWatchesBelowTheCompactionPointFailWithCompacted() {
    KeyValue old = store.txn(Txn.put(p + "a", v("one"))).join().kv();
    long compactAt = store.txn(Txn.put(p + "a", v("two"))).join().revision();

    assertThat(store.compact(compactAt).join()).isEqualTo(compactAt);

    assertThat(failureOf(store.range(RangeRequest.key(p + "a").atRevision(old.modRevision()))))
        .isInstanceOf(CompactedException.class)
        .hasMessageContaining("revision " + old.modRevision());
    assertThat(failureOf(store.compact(compactAt))).isInstanceOf(CompactedException.class);
    assertThat(store.get(p + "a").join().valueAsString()).isEqualTo("two");

    RecordingListener listener = new RecordingListener();
    try (var watch = store.watch(WatchRequest.key(p + "a", old.modRevision()), listener)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !listener.errors().isEmpty());
      assertThat(listener.errors()).singleElement().isInstanceOf(CompactedException.class);
      assertThat(((CompactedException) listener.errors().getFirst()).compactRevision())
          .isEqualTo(compactAt);
      assertThat(listener.events()).isEmpty();
    }
  }

  @Test
  void readingOrCompactingAFutureRevisionFailsWithFutureRevision() {
    long future = store.currentRevision().join() + 1000;

    assertThat(failureOf(store.range(RangeRequest.key(p + "a").atRevision(future))))
        .isInstanceOf(FutureRevisionException.class);
    assertThat(failureOf(store.compact(future))).isInstanceOf(FutureRevisionException.class);
  }

  static Stream<Arguments> badRequests() {
    byte[] big = new byte[Store.MAX_VALUE_BYTES + 1];
    return Stream.of(
        bad("an empty key", s -> s.range(RangeRequest.key("")), "key must not be empty"),
        bad("a negative limit", s -> s.range(RangeRequest.prefix("/x").withLimit(-1)), "limit"),
        bad(
            "a fromKey outside the prefix",
            s -> s.range(RangeRequest.prefix("/x/").withFromKey("/y")),
            "does not lie under"),
        bad("an oversize value", s -> s.txn(Txn.put("/x/big", big)), "over the limit"),
        bad("a null value", s -> s.txn(Txn.put("/x/null", null)), "value must not be null"),
        bad(
            "a compare below ANY",
            s -> s.txn(new Txn("/x/a", -2, new Txn.Delete())),
            "expectedModRevision"),
        bad("a zero lease TTL", s -> s.grantLease(0), "TTL must be positive"),
        bad("a negative compaction", s -> s.compact(-1), "must be positive"));
  }

  private static Arguments bad(
      String name, Function<Store, CompletableFuture<?>> call, String message) {
    return Arguments.argumentSet(name, call, message);
  }

  @ParameterizedTest
  @MethodSource("badRequests")
  void rejectsBadInputBeforeSendingAnything(
      Function<Store, CompletableFuture<?>> call, String message) {
    long before = store.currentRevision().join();

    assertThat(failureOf(call.apply(store)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining(message);
    assertThat(store.currentRevision().join()).isEqualTo(before);
  }

  @Test
  void rejectsAWatchWithANegativeStartRevision() {
    assertThatThrownBy(() -> store.watch(WatchRequest.key("/x", -1), new RecordingListener()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("start revision");
  }

  @Test
  void deletesKeysWhenTheirLeaseExpires() {
    Lease lease = store.grantLease(1).join();
    store.txn(Txn.create(p + "leased", v("x"), lease.id())).join();
    store.txn(Txn.put(p + "kept", v("y"))).join();
    assertThat(store.get(p + "leased").join().lease()).isEqualTo(lease.id());

    await().atMost(Duration.ofSeconds(15)).until(() -> store.get(p + "leased").join() == null);

    assertThat(store.get(p + "kept").join()).isNotNull();
    assertThat(failureOf(store.keepAlive(lease.id()))).isInstanceOf(LeaseNotFoundException.class);
  }

  @Test
  void keepsALeaseAliveAndRevokesItWithItsKeys() {
    Lease lease = store.grantLease(60).join();
    store.txn(Txn.create(p + "leased", v("x"), lease.id())).join();

    assertThat(store.keepAlive(lease.id()).join()).isEqualTo(60);
    store.revokeLease(lease.id()).join();

    assertThat(store.get(p + "leased").join()).isNull();
    assertThat(failureOf(store.revokeLease(lease.id()))).isInstanceOf(LeaseNotFoundException.class);
    assertThat(failureOf(store.keepAlive(lease.id()))).isInstanceOf(LeaseNotFoundException.class);
  }

  @Test
  void refusesAPutWithAnUnknownLease() {
    assertThat(failureOf(store.txn(Txn.create(p + "a", v("x"), 424242))))
        .isInstanceOf(LeaseNotFoundException.class);
    assertThat(store.get(p + "a").join()).isNull();
  }

  @Test
  void storesWithDifferentKeyPrefixesDoNotSeeEachOther() {
    Store blue = etcd.newStore(p + "blue");
    Store green = etcd.newStore(p + "green");

    blue.txn(Txn.put("/k", v("b"))).join();
    green.txn(Txn.put("/k", v("g"))).join();

    assertThat(blue.get("/k").join().valueAsString()).isEqualTo("b");
    assertThat(keys(green.range(RangeRequest.prefix("/")).join())).containsExactly("/k");
    assertThat(green.get("/k").join().valueAsString()).isEqualTo("g");
    assertThat(store.get(p + "blue/k").join().valueAsString()).isEqualTo("b");
  }

  @Test
  void refusesToConnectToAnEndpointThatDoesNotAnswerAndSaysWhichOne() {
    URI nobody = URI.create("http://127.0.0.1:" + freePort());

    assertThatThrownBy(() -> EtcdStore.connect(List.of(nobody), "", Duration.ofSeconds(2)))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(nobody.toString())
        .hasMessageContaining("etcd-server");
  }

  @Test
  void failsWithUnavailableWhileEtcdIsDownAndServesAgainOnceItIsBack() {
    try (EtcdProcess own = EtcdProcess.start();
        EtcdStore client = EtcdStore.connect(own.endpoints(), "", Duration.ofSeconds(2))) {
      client.txn(Txn.put("/a", v("1"))).join();

      own.stop();
      assertThat(failureOf(client.get("/a")))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining(own.clientUri().toString());

      own.restart();
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(() -> client.get("/a").join().valueAsString().equals("1"));
    }
  }

  @Test
  void refusesMalformedEndpoints() {
    assertThatThrownBy(() -> EtcdStore.connect(List.of(URI.create("localhost:2379"))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("http://host:port");
  }

  @Test
  void endsWatchesAndRefusesRequestsAfterClose() {
    Store closing = etcd.newStore("");
    RecordingListener listener = new RecordingListener();
    closing.watch(WatchRequest.prefix(p, 0), listener);

    closing.close();

    assertThat(listener.errors()).singleElement().isInstanceOf(StoreUnavailableException.class);
    assertThat(failureOf(closing.get(p + "a"))).isInstanceOf(StoreUnavailableException.class);
  }

  private static int freePort() {
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static byte[] v(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static List<String> keys(RangeResult r) {
    return r.kvs().stream().map(KeyValue::key).toList();
  }

  static StoreException failureOf(CompletableFuture<?> future) {
    Throwable t = catchThrowable(future::join);
    assertThat(t).as("the request should have failed").isNotNull();
    StoreException e = StoreException.of(t);
    assertThat(e).as("a StoreException in %s", t).isNotNull();
    return e;
  }
}
