package io.flotilla.apiserver.cache;

/**
 * One change to one key as the cache applied it: what the event window holds and what is fanned out
 * to watchers before their selectors turn it into a {@link CacheEvent}. Immutable apart from a
 * lazily computed, idempotent copy.
 */
final class Change {
  final String key;
  final long revision;

  /** The object after the change; null for a delete. */
  final CachedObject current;

  /** The object before the change; null for a create. */
  final CachedObject previous;

  /** When the cache applied the change, in the cache clock's millis; drives the window's age. */
  final long appliedAtMillis;

  /** {@link #previous} at this change's revision; racing threads compute equal copies. */
  private volatile CachedObject departed;

  Change(String key, long revision, CachedObject current, CachedObject previous, long appliedAt) {
    this.key = key;
    this.revision = revision;
    this.current = current;
    this.previous = previous;
    this.appliedAtMillis = appliedAt;
    if (current == null) {
      // Every watcher that sees a delete needs this copy; build it once, eagerly.
      this.departed = CachedObjects.atRevision(previous, revision);
    }
  }

  boolean isDelete() {
    return current == null;
  }

  /**
   * The last state of the object stamped with this change's revision: what a DELETED event carries,
   * both for a real delete and for an object that stopped matching a selector.
   */
  CachedObject departed() {
    CachedObject d = departed;
    if (d == null) {
      d = CachedObjects.atRevision(previous, revision);
      departed = d;
    }
    return d;
  }
}
