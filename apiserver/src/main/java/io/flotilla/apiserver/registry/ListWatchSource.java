package io.flotilla.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Where lists and watches are served from: the Store directly ({@link StoreListWatchSource}) or,
 * later, a watch cache. Implementations are thread-safe and never block the caller.
 */
public interface ListWatchSource {

  /**
   * Reads one page of the objects under {@code prefix} that pass {@code filter}.
   *
   * @param revision the revision to read at, 0 for the latest
   * @param fromKey the first key to consider (inclusive), null to start at the prefix
   * @param limit the most objects to return, 0 for all
   */
  CompletableFuture<Page> list(
      String prefix, long revision, String fromKey, long limit, Predicate<JsonNode> filter);

  /**
   * Streams changes under {@code prefix} after {@code afterRevision} that pass {@code filter} (an
   * object leaving the filter is reported as DELETED, entering it as ADDED). Fails the sink with a
   * {@link io.flotilla.store.CompactedException} when the revision is too old.
   */
  Cancellable watch(String prefix, long afterRevision, Predicate<JsonNode> filter, EventSink sink);

  /** Releases what the source holds (caches, store watches). Called once, at server close. */
  default void close() {}

  /** One page of a list. {@code nextKey} is null on the last page. */
  record Page(long revision, List<Item> items, String nextKey, long remainingItemCount) {}

  /** One stored object with its resourceVersion set. */
  record Item(String key, long revision, ObjectNode object) {}

  /** A change as a watch reports it: ADDED, MODIFIED or DELETED. */
  record Event(String type, long revision, ObjectNode object) {}

  /** Receives a watch's changes; calls for one watch never overlap. */
  interface EventSink {
    void onEvent(Event event);

    /** Every change up to {@code revision} has been delivered. */
    void onBookmark(long revision);

    /** The watch has ended; {@code error} is null on a clean close. */
    void onClose(Throwable error);
  }

  /** Stops a watch. Idempotent. */
  interface Cancellable {
    void cancel();
  }
}
