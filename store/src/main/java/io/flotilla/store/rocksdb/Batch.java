package io.flotilla.store.rocksdb;

import io.flotilla.store.KeyValue;
import io.flotilla.store.WatchEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The writes of one group commit: the RocksDB {@link WriteBatch}, an overlay so that later
 * transactions in the batch see the effect of earlier ones on the same key, the watch events and
 * the completions to run once the batch is durable.
 *
 * <p>Threading: committer thread only.
 */
final class Batch implements AutoCloseable {
  private final StoreDb db;
  private final Leases leases;
  private final WriteBatch writes = new WriteBatch();
  private final Map<String, Optional<KvRecord>> overlay = new HashMap<>();
  final List<WatchEvent> events = new ArrayList<>();
  final List<Runnable> completions = new ArrayList<>();
  final List<Runnable> afterCommit = new ArrayList<>();
  long revision;
  long compactRevision;
  private boolean dirty;
  private boolean revisionChanged;

  Batch(StoreDb db, Leases leases, long revision, long compactRevision) {
    this.db = db;
    this.leases = leases;
    this.revision = revision;
    this.compactRevision = compactRevision;
  }

  /** The key's state as of the writes evaluated so far, or null when absent. */
  KvRecord current(String key) throws RocksDBException {
    Optional<KvRecord> o = overlay.get(key);
    if (o != null) {
      return o.orElse(null);
    }
    byte[] v = db.db.get(db.kv, Keys.utf8(key));
    return v == null ? null : KvRecord.decode(v);
  }

  /** Writes a new version of a key at the next revision; returns it. */
  KvRecord put(String key, byte[] value, long lease, KvRecord cur) throws RocksDBException {
    long rev = nextRevision();
    KvRecord next =
        new KvRecord(
            value,
            cur == null ? rev : cur.createRevision(),
            rev,
            cur == null ? 1 : cur.version() + 1,
            lease);
    byte[] k = Keys.utf8(key);
    writes.put(db.kv, k, next.encode());
    long prev = cur == null ? 0 : cur.modRevision();
    writes.put(db.log, Keys.revision(rev), LogEntry.put(rev, key, next, prev).encode());
    if (cur != null && cur.lease() != 0 && cur.lease() != lease) {
      detach(cur.lease(), key, k);
    }
    if (lease != 0) {
      writes.put(db.meta, Keys.leaseKey(lease, k), new byte[0]);
      leases.attach(lease, key);
    }
    overlay.put(key, Optional.of(next));
    events.add(
        new WatchEvent(
            WatchEvent.Type.PUT, next.toKeyValue(key), cur == null ? null : cur.toKeyValue(key)));
    return next;
  }

  /** Deletes a present key at the next revision; returns the deleting revision. */
  long delete(String key, KvRecord cur) throws RocksDBException {
    long rev = nextRevision();
    byte[] k = Keys.utf8(key);
    writes.delete(db.kv, k);
    LogEntry entry = LogEntry.delete(rev, key, cur.modRevision());
    writes.put(db.log, Keys.revision(rev), entry.encode());
    if (cur.lease() != 0) {
      detach(cur.lease(), key, k);
    }
    overlay.put(key, Optional.empty());
    events.add(new WatchEvent(WatchEvent.Type.DELETE, entry.toKeyValue(), cur.toKeyValue(key)));
    return rev;
  }

  void grantLease(long id, long ttlSeconds) throws RocksDBException {
    writes.put(db.meta, Keys.lease(id), Keys.revision(ttlSeconds));
    leases.grant(id, ttlSeconds);
    dirty = true;
  }

  void removeLease(long id) throws RocksDBException {
    writes.delete(db.meta, Keys.lease(id));
    leases.remove(id);
    dirty = true;
  }

  void compact(long revision) throws RocksDBException {
    writes.put(db.meta, Keys.COMPACT, Keys.revision(revision));
    compactRevision = revision;
    dirty = true;
  }

  /** Whether anything needs writing. */
  boolean dirty() {
    return dirty;
  }

  /** Adds the new store revision to the batch and hands it over for writing. */
  WriteBatch seal() throws RocksDBException {
    if (revisionChanged) {
      writes.put(db.meta, Keys.REVISION, Keys.revision(revision));
    }
    return writes;
  }

  static KeyValue kv(String key, KvRecord rec) {
    return rec == null ? null : rec.toKeyValue(key);
  }

  private long nextRevision() {
    dirty = true;
    revisionChanged = true;
    return ++revision;
  }

  private void detach(long lease, String key, byte[] k) throws RocksDBException {
    writes.delete(db.meta, Keys.leaseKey(lease, k));
    leases.detach(lease, key);
  }

  @Override
  public void close() {
    writes.close();
  }
}
