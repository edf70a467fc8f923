package io.flotilla.store.rocksdb;

import io.flotilla.store.CompactedException;
import io.flotilla.store.FutureRevisionException;
import io.flotilla.store.KeyValue;
import io.flotilla.store.RangeRequest;
import io.flotilla.store.RangeResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Serves range reads from one RocksDB snapshot, so that the keys returned and the revision reported
 * always agree.
 *
 * <p>At the latest revision a read walks the {@code kv} column family. At a past revision R it
 * starts from the same walk and corrects it with the log after R: for every key changed after R,
 * the first change after R points (through {@code prevModRevision}) at the version the key had at
 * R, or says the key was absent then. The cost grows with the changes since R, not with history.
 *
 * <p>Threading: stateless; called on the store's read pool.
 */
final class Reader {
  private final StoreDb db;

  Reader(StoreDb db) {
    this.db = db;
  }

  RangeResult range(RangeRequest r) {
    return db.read(view -> range(view, r));
  }

  private RangeResult range(StoreDb.View view, RangeRequest r) throws RocksDBException {
    long current = view.revision();
    long compact = view.compactRevision();
    long rev = r.revision() == 0 ? current : r.revision();
    if (rev > current) {
      throw new FutureRevisionException(rev, current);
    }
    if (rev < compact) {
      throw new CompactedException(rev, compact);
    }
    Bounds bounds = Bounds.of(r);
    return rev == current ? latest(view, r, bounds, rev) : past(view, r, bounds, rev, current);
  }

  private RangeResult latest(StoreDb.View view, RangeRequest r, Bounds bounds, long rev)
      throws RocksDBException {
    List<KeyValue> kvs = new ArrayList<>();
    long count = 0;
    if (!r.prefix()) {
      byte[] v = view.get(db.kv, bounds.start);
      if (v != null) {
        count = 1;
        if (!r.countOnly()) {
          kvs.add(KvRecord.decode(v).toKeyValue(r.key()));
        }
      }
      return new RangeResult(kvs, false, count, rev);
    }
    try (RocksIterator it = view.iterator(db.kv)) {
      for (it.seek(bounds.start); it.isValid() && bounds.contains(it.key()); it.next()) {
        count++;
        if (!r.countOnly() && (r.limit() == 0 || kvs.size() < r.limit())) {
          kvs.add(KvRecord.decode(it.value()).toKeyValue(Keys.decodeUtf8(it.key())));
        }
      }
    }
    return result(r, kvs, count, rev);
  }

  private RangeResult past(StoreDb.View view, RangeRequest r, Bounds bounds, long rev, long current)
      throws RocksDBException {
    // The first change after rev of each key in range; the log is in revision order.
    Map<String, LogEntry> firstChange = new HashMap<>();
    try (RocksIterator it = view.iterator(db.log)) {
      for (it.seek(Keys.revision(rev + 1)); it.isValid(); it.next()) {
        byte[] v = it.value();
        String key = LogEntry.decodeKey(v);
        if (!firstChange.containsKey(key) && bounds.contains(Keys.utf8(key))) {
          firstChange.put(key, LogEntry.decode(Keys.toLong(it.key()), v));
        }
      }
    }
    TreeMap<byte[], KeyValue> atRev = new TreeMap<>(Arrays::compareUnsigned);
    try (RocksIterator it = view.iterator(db.kv)) {
      for (it.seek(bounds.start); it.isValid() && bounds.contains(it.key()); it.next()) {
        String key = Keys.decodeUtf8(it.key());
        if (!firstChange.containsKey(key)) {
          atRev.put(it.key(), KvRecord.decode(it.value()).toKeyValue(key));
        }
      }
    }
    for (LogEntry change : firstChange.values()) {
      if (change.prevModRevision() != 0) {
        LogEntry before = view.logEntry(change.prevModRevision());
        if (before == null) {
          throw new IllegalStateException(
              "log entry %d for %s is missing below revision %d (current %d)"
                  .formatted(change.prevModRevision(), change.key(), rev, current));
        }
        atRev.put(Keys.utf8(change.key()), before.toKeyValue());
      }
    }
    long count = atRev.size();
    List<KeyValue> kvs = new ArrayList<>();
    if (!r.countOnly()) {
      for (KeyValue kv : atRev.values()) {
        if (r.limit() != 0 && kvs.size() >= r.limit()) {
          break;
        }
        kvs.add(kv);
      }
    }
    return result(r, kvs, count, rev);
  }

  private static RangeResult result(RangeRequest r, List<KeyValue> kvs, long count, long rev) {
    boolean more = r.limit() != 0 && count > r.limit();
    return new RangeResult(kvs, more, count, rev);
  }

  /** The keys a request covers: one key, or a prefix starting at {@code fromKey}. */
  private record Bounds(byte[] start, byte[] key, boolean prefix) {
    static Bounds of(RangeRequest r) {
      byte[] key = Keys.utf8(r.key());
      byte[] start = r.fromKey() == null ? key : Keys.utf8(r.fromKey());
      return new Bounds(start, key, r.prefix());
    }

    boolean contains(byte[] k) {
      return prefix
          ? Keys.startsWith(k, key) && Arrays.compareUnsigned(k, start) >= 0
          : Arrays.equals(k, key);
    }
  }
}
