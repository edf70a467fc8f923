package io.flotilla.store.rocksdb;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.flotilla.store.Txn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

/**
 * A throwaway write-load measurement, not a test: N threads each put 1 KiB values one after another
 * for a fixed time, then writes/s and latency percentiles are printed. Runs against the RocksDB
 * store or, for comparison, an etcd server through jetcd.
 *
 * <p>Arguments: {@code rocksdb <dir>} or {@code etcd <endpoint>}, then threads and seconds.
 */
public final class WriteLoadMain {
  private WriteLoadMain() {}

  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    byte[] value = new byte[1024];
    Arrays.fill(value, (byte) 'x');
    if (args[0].equals("rocksdb")) {
      try (RocksDbStore store = RocksDbStore.open(Path.of(args[1]))) {
        run(threads, seconds, (key, v) -> store.txn(Txn.put(key, v)).join(), value);
      }
    } else {
      try (Client client = Client.builder().endpoints(args[1]).build()) {
        run(
            threads,
            seconds,
            (key, v) ->
                client
                    .getKVClient()
                    .put(ByteSequence.from(key, StandardCharsets.UTF_8), ByteSequence.from(v))
                    .join(),
            value);
      }
    }
  }

  private static void run(int threads, int seconds, BiConsumer<String, byte[]> put, byte[] value)
      throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      put.accept("/load/warmup/" + i, value);
    }
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long[][] latencies = new long[threads][];
    int[] counts = new int[threads];
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread.ofPlatform()
          .start(
              () -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                while (System.nanoTime() < end && n < lat.length) {
                  String key = "/load/" + ThreadLocalRandom.current().nextInt(10_000);
                  long start = System.nanoTime();
                  put.accept(key, value);
                  lat[n++] = System.nanoTime() - start;
                }
                latencies[thread] = lat;
                counts[thread] = n;
                done.countDown();
              });
    }
    done.await();
    long[] all = new long[Arrays.stream(counts).sum()];
    int at = 0;
    for (int t = 0; t < threads; t++) {
      System.arraycopy(latencies[t], 0, all, at, counts[t]);
      at += counts[t];
    }
    Arrays.sort(all);
    System.out.printf(
        "threads=%d writes=%d writes/s=%.0f p50=%.2fms p99=%.2fms max=%.2fms%n",
        threads,
        all.length,
        all.length / (double) seconds,
        all[all.length / 2] / 1e6,
        all[(int) (all.length * 0.99)] / 1e6,
        all[all.length - 1] / 1e6);
  }
}
