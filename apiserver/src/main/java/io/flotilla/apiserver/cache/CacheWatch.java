package io.flotilla.apiserver.cache;

/**
 * A running watch on a {@link WatchCache}. Closing stops delivery (an event already being delivered
 * completes) and then calls {@link WatchSink#onClose} with {@code null}. Idempotent.
 */
public interface CacheWatch extends AutoCloseable {
  @Override
  void close();
}
