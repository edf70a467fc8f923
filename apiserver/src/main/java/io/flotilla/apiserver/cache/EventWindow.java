package io.flotilla.apiserver.cache;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The recent changes a watch can resume from: at most {@code maxEvents}, none older than {@code
 * maxAgeMillis}. Not thread-safe; {@link WatchCache} guards it with its lock.
 *
 * <p>The window holds every change with a revision above {@link #start()}. Evicting a change moves
 * the start up to that change's revision, so a client that had already seen the evicted change can
 * still resume; only clients that missed it get 410 Gone.
 */
final class EventWindow {
  private final ArrayDeque<Change> changes = new ArrayDeque<>();
  private final int maxEvents;
  private final long maxAgeMillis;
  private long start;

  EventWindow(int maxEvents, long maxAgeMillis) {
    this.maxEvents = maxEvents;
    this.maxAgeMillis = maxAgeMillis;
  }

  /** Forgets every change; after a (re)list at {@code revision} nothing older can be replayed. */
  void reset(long revision) {
    changes.clear();
    start = revision;
  }

  void add(Change change) {
    changes.addLast(change);
  }

  /** Drops changes beyond the size limit or older than the age limit. */
  void evict(long nowMillis) {
    while (!changes.isEmpty()
        && (changes.size() > maxEvents
            || nowMillis - changes.peekFirst().appliedAtMillis > maxAgeMillis)) {
      start = changes.removeFirst().revision;
    }
  }

  /** Every change with a revision above this is held. */
  long start() {
    return start;
  }

  int size() {
    return changes.size();
  }

  /**
   * The held changes with revision above {@code afterRevision} whose key starts with {@code
   * prefix}, oldest first.
   *
   * @throws ResourceVersionTooOldException when changes after {@code afterRevision} were evicted
   */
  List<Change> since(long afterRevision, String prefix) {
    if (afterRevision < start) {
      throw new ResourceVersionTooOldException(afterRevision, start);
    }
    List<Change> found = new ArrayList<>();
    Iterator<Change> newestFirst = changes.descendingIterator();
    while (newestFirst.hasNext()) {
      Change c = newestFirst.next();
      if (c.revision <= afterRevision) {
        break;
      }
      if (c.key.startsWith(prefix)) {
        found.add(c);
      }
    }
    Collections.reverse(found);
    return found;
  }
}
