package io.flotilla.apiserver.cache;

/**
 * Receives the events of one {@link CacheWatch}.
 *
 * <p>Calls for one watch never overlap, come in revision order, and never run on the store's
 * thread; a sink may block (for example on a full socket), which only delays its own watch: the
 * cache buffers a bounded number of events per watch and ends the watch when the buffer overflows.
 */
public interface WatchSink {

  /** One event. */
  void onEvent(CacheEvent event);

  /**
   * The watch has seen every change up to {@code revision}; sent only to watches that asked for
   * bookmarks, when no event was sent for a while.
   */
  default void onBookmark(long revision) {}

  /**
   * The watch has ended; called exactly once, last. {@code null} means an ordinary end (closed by
   * its owner, the cache closed, or the consumer fell too far behind); the client re-watches from
   * its last resourceVersion. An error ({@link ResourceVersionTooOldException} after the cache had
   * to relist) is worth reporting to the client as an ERROR event.
   */
  void onClose(Throwable errorOrNull);
}
