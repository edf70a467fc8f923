package io.flotilla.store;

/**
 * What to watch.
 *
 * @param key the key, or the prefix when {@code prefix} is set
 * @param prefix whether {@code key} is a prefix
 * @param startRevision deliver changes at and after this revision; 0 for changes after the current
 *     revision
 */
public record WatchRequest(String key, boolean prefix, long startRevision) {

  public static WatchRequest prefix(String prefix, long startRevision) {
    return new WatchRequest(prefix, true, startRevision);
  }

  public static WatchRequest key(String key, long startRevision) {
    return new WatchRequest(key, false, startRevision);
  }
}
