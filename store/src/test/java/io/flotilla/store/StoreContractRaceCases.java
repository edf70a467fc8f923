package io.flotilla.store;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * Concurrency: compare-and-write must let exactly one of several contenders win, and a watch must
 * see every acknowledged write once and in order while several writers run.
 */
abstract class StoreContractRaceCases extends StoreContractCases {
  private static final int WRITERS = 8;

  StoreContractRaceCases(StoreContractTest contract) {
    super(contract);
  }

  @Test
  void concurrentCreatesOfOneKeyLetExactlyOneWriterWin() throws Exception {
    CyclicBarrier start = new CyclicBarrier(WRITERS);
    List<TxnResult> results =
        runWriters(
            w -> {
              start.await(10, SECONDS);
              return txn(Txn.create("/race/leader", bytes("writer-" + w)));
            });

    List<TxnResult> winners = results.stream().filter(TxnResult::succeeded).toList();
    assertThat(winners).as("winners on %s", backend()).hasSize(1);
    KeyValue won = winners.getFirst().kv();
    assertThat(results)
        .filteredOn(r -> !r.succeeded())
        .allSatisfy(r -> assertThat(r.kv()).as("the loser sees the winner").isEqualTo(won));
    assertThat(get("/race/leader")).isEqualTo(won);
    assertThat(currentRevision()).isEqualTo(2);
  }

  @Test
  void concurrentCompareAndSwapsLetExactlyOneWriterWinEachRound() throws Exception {
    int rounds = 25;
    KeyValue initial = put("/race/counter", "0").kv();
    // Three barriers per round: everybody reads the same version before anybody writes, so each
    // round is one contest between all writers over one base revision.
    CyclicBarrier barrier = new CyclicBarrier(WRITERS);
    AtomicIntegerArray winsPerRound = new AtomicIntegerArray(rounds);
    runWriters(
        w -> {
          for (int round = 0; round < rounds; round++) {
            barrier.await(10, SECONDS);
            KeyValue seen = get("/race/counter");
            barrier.await(10, SECONDS);
            int next = Integer.parseInt(seen.valueAsString()) + 1;
            TxnResult r =
                txn(Txn.update("/race/counter", bytes(Integer.toString(next)), seen.modRevision()));
            if (r.succeeded()) {
              winsPerRound.incrementAndGet(round);
              assertThat(r.prevKv()).isEqualTo(seen);
            } else {
              assertThat(r.kv().modRevision()).isGreaterThan(seen.modRevision());
            }
            barrier.await(10, SECONDS);
          }
          return null;
        });

    for (int round = 0; round < rounds; round++) {
      assertThat(winsPerRound.get(round)).as("winners in round %d", round).isEqualTo(1);
    }
    KeyValue last = get("/race/counter");
    assertThat(last.valueAsString()).as("no lost update").isEqualTo(Integer.toString(rounds));
    assertThat(last.version()).isEqualTo(initial.version() + rounds);
    assertThat(currentRevision()).isEqualTo(initial.modRevision() + rounds);
  }

  @Test
  void aWatcherSeesEveryAcknowledgedRevisionOnceInOrderUnderConcurrentWriters() throws Exception {
    int writesPerWriter = 40;
    long start = currentRevision() + 1;
    RecordingListener watcher = watch(WatchRequest.prefix("/race/", start));
    List<Long> acknowledged = Collections.synchronizedList(new ArrayList<>());
    CyclicBarrier go = new CyclicBarrier(WRITERS);

    runWriters(
        w -> {
          go.await(10, SECONDS);
          for (int i = 0; i < writesPerWriter; i++) {
            // Creates, updates and deletes, so every event type is in the stream.
            String key = "/race/w%d/k%d".formatted(w, i % 7);
            TxnResult r = i % 5 == 4 ? delete(key) : put(key, "w%d-%d".formatted(w, i));
            if (r.prevKv() != null || !(i % 5 == 4)) {
              acknowledged.add(r.revision());
            }
          }
          return null;
        });

    List<Long> expected = acknowledged.stream().sorted().toList();
    assertThat(expected).as("acknowledged revisions are distinct").doesNotHaveDuplicates();
    assertThat(expected.getLast()).isEqualTo(currentRevision());
    watcher.awaitEvents(expected.size());
    assertThat(watcher.revisions()).containsExactlyElementsOf(expected);
    assertThat(expected)
        .containsExactlyElementsOf(
            java.util.stream.LongStream.rangeClosed(start, expected.getLast()).boxed().toList());
    assertWellBehaved(watcher);
  }

  /** The work a writer thread does; {@code writer} numbers it from 0. */
  interface Writer<T> {
    T run(int writer) throws Exception;
  }

  /**
   * Runs {@link #WRITERS} threads to completion and returns their results, failing on any error.
   */
  private <T> List<T> runWriters(Writer<T> writer) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int id = w;
        Callable<T> task = () -> writer.run(id);
        futures.add(pool.submit(task));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(60, SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
