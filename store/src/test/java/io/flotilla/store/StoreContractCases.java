package io.flotilla.store;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;

/**
 * The base of each group of {@link StoreContractTest} cases: the store under test, reached through
 * the enclosing contract instance, and short blocking helpers over its asynchronous calls. Every
 * helper waits at most {@link #CALL_TIMEOUT_SECONDS} for a call.
 */
abstract class StoreContractCases {
  static final long CALL_TIMEOUT_SECONDS = 10;

  private final StoreContractTest contract;
  private final List<Watch> watches = new ArrayList<>();

  StoreContractCases(StoreContractTest contract) {
    this.contract = contract;
  }

  @AfterEach
  void closeWatches() {
    watches.forEach(Watch::close);
    watches.clear();
  }

  Store store() {
    return contract.store;
  }

  String backend() {
    return contract.backendName();
  }

  void restartStore() throws Exception {
    contract.restartStore();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static <T> T resultOf(CompletableFuture<T> future) throws Exception {
    try {
      return future.get(CALL_TIMEOUT_SECONDS, SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("the store call failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError(
          "the store call did not complete in %d s".formatted(CALL_TIMEOUT_SECONDS));
    }
  }

  /** The StoreException a future failed with; fails the test if it succeeds or fails otherwise. */
  static StoreException failure(CompletableFuture<?> future) throws Exception {
    try {
      Object value = future.get(CALL_TIMEOUT_SECONDS, SECONDS);
      return fail("expected the call to fail, but it completed with " + value);
    } catch (ExecutionException e) {
      StoreException se = StoreException.of(e);
      if (se == null) {
        throw new AssertionError("failed with something other than a StoreException", e);
      }
      return se;
    }
  }

  TxnResult txn(Txn t) throws Exception {
    return resultOf(store().txn(t));
  }

  TxnResult put(String key, String value) throws Exception {
    TxnResult r = txn(Txn.put(key, bytes(value)));
    assertThat(r.succeeded()).as("unconditional put of %s", key).isTrue();
    return r;
  }

  TxnResult delete(String key) throws Exception {
    return txn(Txn.delete(key));
  }

  KeyValue get(String key) throws Exception {
    return resultOf(store().get(key));
  }

  RangeResult range(RangeRequest r) throws Exception {
    return resultOf(store().range(r));
  }

  long currentRevision() throws Exception {
    return resultOf(store().currentRevision());
  }

  static List<String> keys(RangeResult r) {
    return r.kvs().stream().map(KeyValue::key).toList();
  }

  static List<String> keysOf(List<WatchEvent> events) {
    return events.stream().map(e -> e.kv().key()).toList();
  }

  /** Opens a watch into a fresh recording listener; it is closed after the case. */
  RecordingListener watch(WatchRequest request) {
    RecordingListener listener = new RecordingListener();
    watches.add(store().watch(request, listener));
    return listener;
  }

  /** Closes every watch this case opened so far. */
  void closeWatchesNow() {
    closeWatches();
  }

  static void assertWellBehaved(RecordingListener listener) {
    assertThat(listener.misbehaviours())
        .as("listener calls that overlapped or carried an empty batch")
        .isZero();
    assertThat(listener.error()).as("watch error").isNull();
  }
}
