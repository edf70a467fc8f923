package io.flotilla.apiserver.cache;

/**
 * One watch event as a client sees it, after its selector has been applied.
 *
 * @param type what happened, from the watcher's point of view (an object that starts matching the
 *     selector is ADDED, one that stops matching is DELETED)
 * @param object the object; for DELETED, its last state with {@code metadata.resourceVersion} set
 *     to the revision of the event
 */
public record CacheEvent(Type type, CachedObject object) {

  public enum Type {
    ADDED,
    MODIFIED,
    DELETED
  }
}
