package io.flotilla.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input is rejected and changes nothing; acknowledged writes survive a restart. */
abstract class StoreContractInputCases extends StoreContractCases {

  StoreContractInputCases(StoreContractTest contract) {
    super(contract);
  }

  static Stream<Arguments> badRequests() {
    byte[] tooBig = new byte[Store.MAX_VALUE_BYTES + 1];
    Class<?> invalid = InvalidRequestException.class;
    return Stream.of(
        bad("a put with an empty key", s -> s.txn(Txn.put("", bytes("v"))), invalid),
        bad("a range with an empty key", s -> s.range(RangeRequest.key("")), invalid),
        bad("a value one byte over the limit", s -> s.txn(Txn.put("/big", tooBig)), invalid),
        bad("a negative limit", s -> s.range(RangeRequest.prefix("/").withLimit(-1)), invalid),
        bad("a negative revision", s -> s.range(RangeRequest.prefix("/").atRevision(-3)), invalid),
        bad(
            "a fromKey outside its prefix",
            s -> s.range(RangeRequest.prefix("/a/").withFromKey("/b/")),
            invalid),
        bad(
            "an expected modRevision below ANY",
            s -> s.txn(Txn.update("/existing", bytes("x"), -2)),
            invalid),
        bad("a negative lease TTL", s -> s.grantLease(-5), invalid),
        bad("a zero lease TTL", s -> s.grantLease(0), invalid),
        bad(
            "a range at a future revision",
            s -> s.range(RangeRequest.prefix("/").atRevision(1_000_000)),
            FutureRevisionException.class),
        bad(
            "a compaction above the current revision",
            s -> s.compact(1_000_000),
            FutureRevisionException.class),
        bad(
            "a put with a lease that was never granted",
            s -> s.txn(Txn.create("/leased", bytes("v"), 987_654_321L)),
            LeaseNotFoundException.class),
        bad(
            "a keep-alive of a lease that was never granted",
            s -> s.keepAlive(987_654_321L),
            LeaseNotFoundException.class));
  }

  private static Arguments bad(
      String name, Function<Store, java.util.concurrent.CompletableFuture<?>> call, Class<?> type) {
    return Arguments.of(Named.of(name, call), type);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.flotilla.store.StoreContractInputCases#badRequests")
  void badInputIsRejectedWithAClearErrorAndChangesNothing(
      Function<Store, java.util.concurrent.CompletableFuture<?>> call, Class<?> expected)
      throws Exception {
    KeyValue existing = put("/existing", "before").kv();
    long revision = currentRevision();

    StoreException error = failure(call.apply(store()));

    assertThat(error).isInstanceOf(expected);
    assertThat(error.getMessage()).as("the message says what is wrong").isNotBlank();
    assertThat(currentRevision()).as("the revision").isEqualTo(revision);
    assertThat(get("/existing")).isEqualTo(existing);
    assertThat(range(RangeRequest.prefix("/")).count()).isEqualTo(1);
  }

  @Test
  void everyKeyAndTheExactRevisionSurviveARestart() throws Exception {
    for (int i = 0; i < 30; i++) {
      put("/durable/k%02d".formatted(i), "v" + i);
    }
    long middle = currentRevision();
    put("/durable/k03", "updated");
    delete("/durable/k04");
    put("/durable/k04", "recreated");
    RangeResult before = range(RangeRequest.prefix("/"));
    RangeResult pastBefore = range(RangeRequest.prefix("/").atRevision(middle));

    restartStore();

    assertThat(currentRevision()).isEqualTo(before.revision());
    assertThat(range(RangeRequest.prefix("/")).kvs()).isEqualTo(before.kvs());
    assertThat(range(RangeRequest.prefix("/").atRevision(middle)).kvs())
        .as("history survives too")
        .isEqualTo(pastBefore.kvs());
    assertThat(put("/durable/after", "x").revision())
        .as("the first write after a restart continues the revision sequence")
        .isEqualTo(before.revision() + 1);
  }

  @Test
  void aStoreReopenedWithoutWritesIsStillAtRevisionOne() throws Exception {
    restartStore();

    assertThat(currentRevision()).isEqualTo(1);
    assertThat(put("/first", "v").revision()).isEqualTo(2);
  }
}
