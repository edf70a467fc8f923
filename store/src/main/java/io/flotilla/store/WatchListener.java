package io.flotilla.store;

import java.util.List;

/**
 * Receives a watch's events. Calls for one watch never overlap and come in revision order; they run
 * on a store thread, so a listener hands slow work elsewhere.
 */
public interface WatchListener {

  /** A batch of changes, in revision order; never empty. */
  void onEvents(List<WatchEvent> events);

  /**
   * The watch has ended with an error and delivers nothing more: {@link CompactedException} when
   * its start revision was compacted, {@link StoreUnavailableException} when the store closed.
   */
  void onError(StoreException error);

  /**
   * The store has seen every change up to {@code revision} with nothing more for this watch. Stores
   * may call this while a watch is idle so that a client can advance its resume point; optional.
   */
  default void onProgress(long revision) {}
}
