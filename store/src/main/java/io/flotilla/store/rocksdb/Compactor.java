package io.flotilla.store.rocksdb;

import io.flotilla.store.StoreException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes log entries made useless by a compaction at revision C.
 *
 * <p>Kept: every entry at or above C, and below C the latest entry of each key when it is a put.
 * Those are exactly the entries that reads at revisions at or above C and the {@code prevKv} of
 * events at or above C can point at (a change's {@code prevModRevision} is the key's previous
 * entry). Everything else below C goes: superseded versions and deletes.
 *
 * <p>Threading: one background thread; compactions run one after another. The store has recorded
 * the compaction point (and refuses reads below it) before this runs, so the deletes need no sync:
 * after a crash {@link RocksDbStore#open} finds the {@code compacted} marker behind the compaction
 * point and runs the compaction again.
 */
final class Compactor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);
  private static final int CHUNK = 10_000;

  private final StoreDb db;
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().name("rocksdb-compactor").factory());

  Compactor(StoreDb db) {
    this.db = db;
  }

  void schedule(long revision) {
    executor.execute(
        () -> {
          try {
            compact(revision);
          } catch (StoreException e) {
            LOG.debug("compaction at {} stopped: {}", revision, e.getMessage());
          } catch (RuntimeException e) {
            LOG.warn("compaction at {} failed", revision, e);
          }
        });
  }

  private void compact(long revision) {
    // key -> latest revision below the compaction point, negated when that entry is a delete
    Map<String, Long> latest = new HashMap<>();
    long next = 0;
    while (next >= 0) {
      long from = next;
      next = db.run(store -> deleteSuperseded(from, revision, latest));
    }
    db.run(
        store -> {
          try (WriteBatch batch = new WriteBatch()) {
            for (long rev : latest.values()) {
              if (rev < 0) {
                batch.delete(db.log, Keys.revision(-rev));
              }
            }
            batch.put(db.meta, Keys.COMPACTED, Keys.revision(revision));
            db.writeLazily(batch);
          }
          return null;
        });
  }

  /** Processes one chunk from {@code from}; returns where to continue, -1 when done. */
  private long deleteSuperseded(long from, long revision, Map<String, Long> latest)
      throws RocksDBException {
    int seen = 0;
    try (RocksIterator it = db.db.newIterator(db.log);
        WriteBatch batch = new WriteBatch()) {
      for (it.seek(Keys.revision(from)); it.isValid(); it.next()) {
        long rev = Keys.toLong(it.key());
        if (rev >= revision) {
          db.writeLazily(batch);
          return -1;
        }
        if (seen++ == CHUNK) {
          db.writeLazily(batch);
          return rev;
        }
        byte[] v = it.value();
        Long before = latest.put(LogEntry.decodeKey(v), LogEntry.isDelete(v) ? -rev : rev);
        if (before != null) {
          batch.delete(db.log, Keys.revision(Math.abs(before)));
        }
      }
      db.writeLazily(batch);
      return -1;
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
