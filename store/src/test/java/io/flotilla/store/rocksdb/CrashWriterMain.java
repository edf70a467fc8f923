package io.flotilla.store.rocksdb;

import io.flotilla.store.Txn;
import io.flotilla.store.TxnResult;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child process of {@link RocksDbCrashTest}: writes to a {@link RocksDbStore} from several
 * threads until it is killed, and after each acknowledged write appends {@code key revision value}
 * to a side file. A line is written only after the acknowledgement, so every line names a write the
 * store promised to keep. Each line is one unbuffered write, which reaches the page cache and so
 * survives the process being killed.
 *
 * <p>Arguments: store directory, side file, run number, thread count.
 */
public final class CrashWriterMain {
  private CrashWriterMain() {}

  public static void main(String[] args) throws IOException {
    Path storeDir = Path.of(args[0]);
    int run = Integer.parseInt(args[2]);
    int threads = Integer.parseInt(args[3]);
    RocksDbStore store = RocksDbStore.open(storeDir);
    try (OutputStream side = new FileOutputStream(args[1], true)) {
      Thread[] writers = new Thread[threads];
      for (int t = 0; t < threads; t++) {
        int thread = t;
        writers[t] = Thread.ofPlatform().start(() -> write(store, side, run, thread));
      }
      for (Thread w : writers) {
        w.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void write(RocksDbStore store, OutputStream side, int run, int thread) {
    for (long i = 0; ; i++) {
      String key = "/crash/" + thread + "/" + (i % 25);
      String value = "r%d-t%d-%d".formatted(run, thread, i);
      TxnResult r = store.txn(Txn.put(key, value.getBytes(StandardCharsets.UTF_8))).join();
      byte[] line =
          "%s %d %s%n".formatted(key, r.revision(), value).getBytes(StandardCharsets.UTF_8);
      synchronized (side) {
        try {
          side.write(line);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    }
  }
}
