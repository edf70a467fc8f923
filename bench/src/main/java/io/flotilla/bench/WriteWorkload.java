package io.flotilla.bench;

import io.flotilla.store.Store;
import io.flotilla.store.StoreException;
import io.flotilla.store.Txn;
import io.flotilla.store.TxnResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The store benchmark's workload: {@code writers} threads create fresh keys with create-if-absent
 * transactions until {@code ops} writes are done, each thread waiting for one write's
 * acknowledgement before it sends the next, as an API server handling one request per connection
 * does. Every write's latency, from the call to the completed future, goes into a histogram.
 *
 * <p>Threading: {@link #run} blocks until the workload ends; {@link #done()} may be read from any
 * thread meanwhile (for progress reports). Elapsed times come from {@link System#nanoTime()}: this
 * is a measurement, not logic, so there is no clock to inject.
 *
 * @param writers the number of concurrent writer threads
 * @param ops the total number of writes
 * @param value the value every key is written with
 * @param keyPrefix where the keys go; each write creates {@code <keyPrefix>w<writer>/<n>}
 */
record WriteWorkload(int writers, long ops, byte[] value, String keyPrefix) {

  /** The longest a single write may take before the run is abandoned. */
  static final long WRITE_TIMEOUT_SECONDS = 60;

  /** What a run measured. */
  record Result(long writes, long elapsedNanos, Histogram latencyNanos) {
    double writesPerSecond() {
      return elapsedNanos == 0 ? 0 : writes * 1e9 / elapsedNanos;
    }

    double percentileMillis(double percentile) {
      return latencyNanos.getValueAtPercentile(percentile) / 1e6;
    }
  }

  /** A write did not go through; the run stops at the first one. */
  static final class WriteFailedException extends Exception {
    WriteFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Counts the writes done so far, readable while {@link #run} runs. */
  static final class Progress {
    private final AtomicLong done = new AtomicLong();

    long done() {
      return done.get();
    }
  }

  Result run(Store store, Progress progress) throws WriteFailedException, InterruptedException {
    AtomicLong claimed = new AtomicLong();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            writers, Thread.ofPlatform().name("bench-writer-", 0).daemon().factory());
    List<Future<Histogram>> futures = new ArrayList<>();
    long start = System.nanoTime();
    try {
      for (int w = 0; w < writers; w++) {
        int writer = w;
        futures.add(pool.submit(() -> writeUntilDone(store, writer, claimed, progress)));
      }
      Histogram all = newHistogram();
      for (Future<Histogram> f : futures) {
        all.add(join(f));
      }
      return new Result(all.getTotalCount(), System.nanoTime() - start, all);
    } finally {
      pool.shutdownNow();
    }
  }

  private Histogram writeUntilDone(Store store, int writer, AtomicLong claimed, Progress progress)
      throws Exception {
    Histogram latencies = newHistogram();
    long n = 0;
    while (claimed.getAndIncrement() < ops) {
      String key = "%sw%d/%d".formatted(keyPrefix, writer, n++);
      long sent = System.nanoTime();
      TxnResult r = store.txn(Txn.create(key, value)).get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      latencies.recordValue(System.nanoTime() - sent);
      if (!r.succeeded()) {
        throw new IllegalStateException(
            "key %s already existed: the store is not empty under %s".formatted(key, keyPrefix));
      }
      progress.done.incrementAndGet();
    }
    return latencies;
  }

  private static Histogram join(Future<Histogram> f)
      throws WriteFailedException, InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      StoreException se = StoreException.of(cause);
      String why =
          cause instanceof TimeoutException
              ? "a write took longer than %d s".formatted(WRITE_TIMEOUT_SECONDS)
              : se != null ? se.getMessage() : String.valueOf(cause);
      throw new WriteFailedException("a write failed: " + why, cause);
    }
  }

  /** Latencies from 1 µs to 10 min at 3 significant digits, auto-resizing beyond. */
  private static Histogram newHistogram() {
    Histogram h = new Histogram(1_000, TimeUnit.MINUTES.toNanos(10), 3);
    h.setAutoResize(true);
    return h;
  }
}
