package io.flotilla.store.rocksdb;

import io.flotilla.store.StoreException;
import io.flotilla.store.WatchEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands committed events to the running watches.
 *
 * <p>Threading: the committer calls {@link #publish} after each durable batch; watch threads call
 * {@link #goLive} when their catch-up from the log has reached the published revision. Both run
 * under one lock, which is what makes the switch from catch-up to live delivery free of gaps and
 * duplicates: a watch that goes live has read everything up to the revision published at that
 * moment, and every later batch is offered to it.
 */
final class WatchHub {
  private final ReentrantLock lock = new ReentrantLock();
  private final Set<LogWatch> watches = new LinkedHashSet<>();
  private long published;
  private StoreException closedWith;

  WatchHub(long revision) {
    this.published = revision;
  }

  /**
   * Registers a watch and returns the revision it starts at: for a start of 0, the one after the
   * latest published revision, and then the watch is live at once.
   */
  long register(LogWatch watch, long startRevision) {
    lock.lock();
    try {
      if (closedWith != null) {
        watch.fail(closedWith);
        return startRevision;
      }
      watches.add(watch);
      if (startRevision == 0) {
        watch.live = true;
        return published + 1;
      }
      return startRevision;
    } finally {
      lock.unlock();
    }
  }

  void unregister(LogWatch watch) {
    lock.lock();
    try {
      watches.remove(watch);
    } finally {
      lock.unlock();
    }
  }

  void publish(List<WatchEvent> events, long revision) {
    lock.lock();
    try {
      published = revision;
      for (LogWatch w : watches) {
        if (w.live) {
          w.offer(events);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  long published() {
    lock.lock();
    try {
      return published;
    } finally {
      lock.unlock();
    }
  }

  /** Switches a watch to live delivery if nothing was published after {@code caughtUpTo}. */
  boolean goLive(LogWatch watch, long caughtUpTo) {
    lock.lock();
    try {
      if (published <= caughtUpTo) {
        watch.live = true;
        return true;
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Ends every watch with the error, and any watch registered later. */
  void closeAll(StoreException error) {
    List<LogWatch> all;
    lock.lock();
    try {
      closedWith = error;
      all = new ArrayList<>(watches);
      watches.clear();
    } finally {
      lock.unlock();
    }
    all.forEach(w -> w.fail(error));
  }
}
