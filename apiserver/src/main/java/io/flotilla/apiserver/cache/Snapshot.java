package io.flotilla.apiserver.cache;

import java.util.List;

/**
 * Every cached object under a prefix at one revision.
 *
 * @param revision the revision the list is consistent at (the list's resourceVersion)
 * @param objects the objects in key order; immutable
 */
public record Snapshot(long revision, List<CachedObject> objects) {
  public Snapshot {
    objects = List.copyOf(objects);
  }
}
