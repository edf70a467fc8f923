package io.flotilla.bench;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Creates ConfigMaps through the API, in one of two ways:
 *
 * <ul>
 *   <li>{@link #closedLoop}: {@code clients} logical clients, each sending its next POST when the
 *       previous one is answered, until {@code total} are done: the throughput the server sustains
 *       for that many clients;
 *   <li>{@link #openLoop}: POSTs sent on a fixed schedule whatever the answers, each one's latency
 *       counted from when it was due, so that a server falling behind shows in the figures
 *       (coordinated omission avoided).
 * </ul>
 *
 * <p>Threading: both block until every POST is answered or has failed; {@code progress} counts
 * answered POSTs meanwhile. Elapsed times come from {@link System#nanoTime()}: this is a
 * measurement, not logic, so there is no clock to inject.
 *
 * @param http the clients; logical client {@code i} uses {@code http.client(i)}
 * @param objects the bodies
 * @param namespace where the ConfigMaps go
 * @param namePrefix names are {@code <namePrefix><n>}, n from 0
 */
record CreateLoad(ApiClients http, BenchConfigMaps objects, String namespace, String namePrefix) {

  /** What a phase measured: successful creates and their latencies. */
  record Result(long created, long elapsedNanos, Histogram latencyNanos) {
    double perSecond() {
      return elapsedNanos == 0 ? 0 : created * 1e9 / elapsedNanos;
    }

    double percentileMillis(double percentile) {
      return latencyNanos.getTotalCount() == 0
          ? 0
          : latencyNanos.getValueAtPercentile(percentile) / 1e6;
    }
  }

  Result closedLoop(int clients, long total, Failures failures, AtomicLong progress)
      throws InterruptedException {
    AtomicLong claimed = new AtomicLong();
    List<Future<Histogram>> futures = new ArrayList<>();
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < clients; c++) {
        int client = c;
        futures.add(pool.submit(() -> createUntilDone(client, total, claimed, failures, progress)));
      }
      Histogram all = newHistogram();
      for (Future<Histogram> f : futures) {
        try {
          all.add(f.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException("a client loop failed: " + e.getCause(), e.getCause());
        }
      }
      return new Result(all.getTotalCount(), System.nanoTime() - start, all);
    }
  }

  private Histogram createUntilDone(
      int client, long total, AtomicLong claimed, Failures failures, AtomicLong progress)
      throws InterruptedException {
    Histogram latencies = newHistogram();
    String path = BenchConfigMaps.path(namespace);
    for (long n = claimed.getAndIncrement(); n < total; n = claimed.getAndIncrement()) {
      long sent = System.nanoTime();
      try {
        HttpResponse<String> r =
            http.client(client)
                .send(
                    http.post(path, objects.json(namePrefix + n, sent)),
                    HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 201) {
          latencies.recordValue(System.nanoTime() - sent);
        } else {
          failures.record("create", r);
        }
      } catch (java.io.IOException e) {
        failures.record("create", e);
      }
      progress.incrementAndGet();
    }
    return latencies;
  }

  /**
   * Sends {@code total} POSTs at {@code perSecond}, round-robin over the clients, and waits for
   * every answer. {@code onCreated} is told each created object's index and acknowledgement time.
   */
  Result openLoop(
      double perSecond, long total, Failures failures, AtomicLong progress, AckListener onCreated)
      throws InterruptedException {
    Histogram latencies = new ConcurrentHistogram(1_000, TimeUnit.MINUTES.toNanos(10), 3);
    latencies.setAutoResize(true);
    long period = (long) (1e9 / perSecond);
    String path = BenchConfigMaps.path(namespace);
    List<CompletableFuture<?>> answers = new ArrayList<>();
    long start = System.nanoTime();
    for (long n = 0; n < total; n++) {
      long due = start + n * period;
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      long index = n;
      answers.add(
          http.client((int) (n % http.connections()) * ApiClients.PER_CONNECTION)
              .sendAsync(
                  http.post(path, objects.json(namePrefix + n, System.nanoTime())),
                  HttpResponse.BodyHandlers.ofString())
              .whenComplete(
                  (r, e) -> {
                    long now = System.nanoTime();
                    if (e != null) {
                      failures.record("create", e);
                    } else if (r.statusCode() != 201) {
                      failures.record("create", r);
                    } else {
                      latencies.recordValue(now - due);
                      onCreated.created(index, now);
                    }
                    progress.incrementAndGet();
                  }));
    }
    try {
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
          .get(ApiClients.REQUEST_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Each failure is already counted by its own future.
    }
    return new Result(latencies.getTotalCount(), System.nanoTime() - start, latencies);
  }

  /** Told of each successful create in the open loop. */
  interface AckListener {
    void created(long index, long ackNanos);
  }

  /** Latencies from 1 µs to 10 min at 3 significant digits, auto-resizing beyond. */
  static Histogram newHistogram() {
    Histogram h = new Histogram(1_000, TimeUnit.MINUTES.toNanos(10), 3);
    h.setAutoResize(true);
    return h;
  }
}
