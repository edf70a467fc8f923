package io.flotilla.store.rocksdb;

import io.flotilla.store.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB handle with its three column families, and the guard that keeps native calls from
 * running after close.
 *
 * <p>Threading: readers ({@link #read}, {@link #run}) hold a shared lock for the duration of their
 * native calls; {@link #close} takes it exclusively, so it waits for them and later calls fail with
 * {@link StoreUnavailableException} instead of touching freed native memory. The committer writes
 * without the lock because the store joins it before closing.
 */
final class StoreDb implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  /** A read that sees one consistent snapshot of all column families. */
  interface ReadFn<T> {
    T apply(View view) throws RocksDBException;
  }

  /** Work on the live database (no snapshot), for the compactor. */
  interface DbFn<T> {
    T apply(StoreDb db) throws RocksDBException;
  }

  final RocksDB db;
  final ColumnFamilyHandle kv;
  final ColumnFamilyHandle log;
  final ColumnFamilyHandle meta;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final List<ColumnFamilyHandle> handles;
  private final WriteOptions syncWrites = new WriteOptions().setSync(true);
  private final WriteOptions plainWrites = new WriteOptions();
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  private StoreDb(
      RocksDB db, DBOptions dbOptions, ColumnFamilyOptions cfOptions, List<ColumnFamilyHandle> hs) {
    this.db = db;
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.handles = hs;
    this.kv = hs.get(1);
    this.log = hs.get(2);
    this.meta = hs.get(3);
  }

  static StoreDb open(Path dir) throws RocksDBException, java.io.IOException {
    Files.createDirectories(dir);
    DBOptions dbOptions =
        new DBOptions()
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            .setMaxBackgroundJobs(2)
            .setKeepLogFileNum(3);
    ColumnFamilyOptions cfOptions = new ColumnFamilyOptions().setWriteBufferSize(32L << 20);
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (String name : List.of("default", "kv", "log", "meta")) {
      descriptors.add(
          new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.US_ASCII), cfOptions));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
    return new StoreDb(db, dbOptions, cfOptions, handles);
  }

  /** Writes a batch and fsyncs the WAL before returning: the acknowledgement point. */
  void writeDurably(WriteBatch batch) throws RocksDBException {
    db.write(syncWrites, batch);
  }

  <T> T read(ReadFn<T> fn) {
    return run(
        store -> {
          Snapshot snapshot = db.getSnapshot();
          try (ReadOptions options = new ReadOptions().setSnapshot(snapshot)) {
            return fn.apply(new View(options));
          } finally {
            db.releaseSnapshot(snapshot);
          }
        });
  }

  <T> T run(DbFn<T> fn) {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new StoreUnavailableException("the RocksDB store is closed");
      }
      return fn.apply(this);
    } catch (RocksDBException e) {
      throw new StoreUnavailableException("RocksDB failed: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Writes without waiting for fsync; for compaction deletes, which are redone after a crash. */
  void writeLazily(WriteBatch batch) throws RocksDBException {
    db.write(plainWrites, batch);
  }

  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      handles.forEach(ColumnFamilyHandle::close);
      db.close();
      dbOptions.close();
      cfOptions.close();
      syncWrites.close();
      plainWrites.close();
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  /** One consistent snapshot. */
  final class View {
    private final ReadOptions options;

    private View(ReadOptions options) {
      this.options = options;
    }

    byte[] get(ColumnFamilyHandle cf, byte[] key) throws RocksDBException {
      return db.get(cf, options, key);
    }

    RocksIterator iterator(ColumnFamilyHandle cf) {
      return db.newIterator(cf, options);
    }

    long metaLong(byte[] key, long absent) throws RocksDBException {
      byte[] v = db.get(meta, options, key);
      return v == null ? absent : Keys.toLong(v);
    }

    long revision() throws RocksDBException {
      return metaLong(Keys.REVISION, 1);
    }

    long compactRevision() throws RocksDBException {
      return metaLong(Keys.COMPACT, 0);
    }

    /** The log entry at a revision, or null when there is none (compacted or not a write). */
    LogEntry logEntry(long revision) throws RocksDBException {
      byte[] v = db.get(log, options, Keys.revision(revision));
      return v == null ? null : LogEntry.decode(revision, v);
    }
  }
}
