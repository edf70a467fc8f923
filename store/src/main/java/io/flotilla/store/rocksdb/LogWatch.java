package io.flotilla.store.rocksdb;

import io.flotilla.store.CompactedException;
import io.flotilla.store.StoreException;
import io.flotilla.store.StoreUnavailableException;
import io.flotilla.store.Watch;
import io.flotilla.store.WatchEvent;
import io.flotilla.store.WatchListener;
import io.flotilla.store.WatchRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.rocksdb.RocksIterator;

/**
 * One watch: catches up from the {@code log} column family, then receives live batches from the
 * {@link WatchHub}.
 *
 * <p>Threading: each watch owns one virtual thread that makes every listener call, so calls never
 * overlap. The committer only offers batches into a bounded queue (never blocks); when a slow
 * listener lets the queue fill, the watch drops back to catch-up from the log, which holds every
 * event since the compaction point. Every event is delivered only if its revision is above the last
 * delivered one, so the overlap between queue and log can never produce a duplicate.
 */
final class LogWatch implements Watch {
  private static final int CATCH_UP_CHUNK = 1000;
  private static final List<WatchEvent> WAKE_UP = List.of();

  private final StoreDb db;
  private final WatchHub hub;
  private final WatchRequest request;
  private final WatchListener listener;
  private final BlockingQueue<List<WatchEvent>> queue;
  private final ReentrantLock delivery = new ReentrantLock();
  private final Thread thread;

  /** Whether the hub offers live batches; written under the hub's lock. */
  volatile boolean live;

  private volatile boolean closed;
  private volatile StoreException error;

  /** The revision of the last event delivered or passed over; the watch thread's own. */
  private long delivered;

  LogWatch(StoreDb db, WatchHub hub, WatchRequest request, WatchListener listener, int capacity) {
    this.db = db;
    this.hub = hub;
    this.request = request;
    this.listener = listener;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = Thread.ofVirtual().name("rocksdb-watch-" + request.key()).unstarted(this::run);
  }

  void start() {
    delivered = hub.register(this, request.startRevision()) - 1;
    thread.start();
  }

  /** Called by the hub, under its lock, with a committed batch. */
  void offer(List<WatchEvent> events) {
    List<WatchEvent> mine = new ArrayList<>();
    for (WatchEvent e : events) {
      if (matches(e.kv().key())) {
        mine.add(e);
      }
    }
    if (!mine.isEmpty() && !queue.offer(mine)) {
      live = false;
    }
  }

  /** Ends the watch with an error delivered by its own thread. */
  void fail(StoreException e) {
    error = e;
    queue.offer(WAKE_UP);
  }

  @Override
  public void close() {
    closed = true;
    hub.unregister(this);
    queue.offer(WAKE_UP);
    // Waits for a listener call in progress, so nothing is delivered after close returns; a
    // listener that closes its own watch holds the lock already.
    delivery.lock();
    delivery.unlock();
  }

  private void run() {
    try {
      while (!closed && error == null) {
        List<WatchEvent> batch = queue.poll();
        if (batch == null && !live) {
          catchUp();
          continue;
        }
        if (batch == null) {
          batch = queue.take();
        }
        deliver(batch);
      }
    } catch (InterruptedException e) {
      error = new StoreUnavailableException("watch thread interrupted");
    } catch (StoreException e) {
      error = e;
    } catch (RuntimeException e) {
      error = new StoreUnavailableException("watch failed: " + e, e);
    }
    hub.unregister(this);
    StoreException e = error;
    if (e != null && !closed) {
      delivery.lock();
      try {
        if (!closed) {
          listener.onError(e);
        }
      } finally {
        delivery.unlock();
      }
    }
  }

  private record Chunk(List<WatchEvent> events, long scannedTo) {}

  /** Reads one chunk of the log after {@code delivered}; goes live once nothing is left. */
  private void catchUp() {
    long target = hub.published();
    long from = delivered + 1;
    Chunk chunk = db.read(view -> readLog(view, from, target));
    if (!chunk.events().isEmpty()) {
      deliver(chunk.events());
    }
    delivered = Math.max(delivered, chunk.scannedTo());
    hub.goLive(this, delivered);
  }

  private Chunk readLog(StoreDb.View view, long from, long target)
      throws org.rocksdb.RocksDBException {
    long compact = view.compactRevision();
    if (from < compact) {
      throw new CompactedException(from, compact);
    }
    List<WatchEvent> out = new ArrayList<>();
    long scanned = from - 1;
    try (RocksIterator it = view.iterator(db.log)) {
      for (it.seek(Keys.revision(from)); it.isValid(); it.next()) {
        long rev = Keys.toLong(it.key());
        if (rev > target || out.size() >= CATCH_UP_CHUNK) {
          break;
        }
        byte[] v = it.value();
        if (matches(LogEntry.decodeKey(v))) {
          LogEntry entry = LogEntry.decode(rev, v);
          LogEntry prev =
              entry.prevModRevision() == 0 ? null : view.logEntry(entry.prevModRevision());
          out.add(
              new WatchEvent(
                  entry.type(), entry.toKeyValue(), prev == null ? null : prev.toKeyValue()));
        }
        scanned = rev;
      }
    }
    return new Chunk(out, out.size() < CATCH_UP_CHUNK ? Math.max(scanned, target) : scanned);
  }

  private void deliver(List<WatchEvent> batch) {
    List<WatchEvent> fresh = batch;
    if (!batch.isEmpty() && batch.getFirst().revision() <= delivered) {
      fresh = batch.stream().filter(e -> e.revision() > delivered).toList();
    }
    if (fresh.isEmpty()) {
      return;
    }
    delivery.lock();
    try {
      if (!closed) {
        listener.onEvents(fresh);
      }
    } finally {
      delivery.unlock();
    }
    delivered = fresh.getLast().revision();
  }

  private boolean matches(String key) {
    return request.prefix() ? key.startsWith(request.key()) : key.equals(request.key());
  }
}
