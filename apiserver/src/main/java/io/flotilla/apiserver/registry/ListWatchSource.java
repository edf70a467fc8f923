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

  /**
   * What {@link Item} and {@link Event} have in common: a revision and an object that is either the
   * holder's own or a source's shared one, copied only when it is asked for. Confined to one
   * request or watch.
   */
  abstract sealed class SharedOrOwned permits Item, Event {
    private final long revision;
    private final SharedObject shared;
    private ObjectNode object;

    SharedOrOwned(long revision, ObjectNode object, SharedObject shared) {
      this.revision = revision;
      this.object = object;
      this.shared = shared;
    }

    public long revision() {
      return revision;
    }

    /** The object, the caller's to change (a shared one is copied on the first call). */
    public ObjectNode object() {
      if (object == null) {
        object = shared.object().deepCopy();
      }
      return object;
    }

    /** The shared object as stored, or null; nobody may change it. */
    public SharedObject shared() {
      return shared;
    }
  }

  /**
   * One stored object with its resourceVersion set. {@link #object()} is the caller's to change; a
   * source that shares its objects (a cache) copies one only when it is asked for, and offers its
   * JSON ({@link #json()}) so that a reply can be written without building or copying a tree.
   * Confined to one request.
   */
  final class Item extends SharedOrOwned {
    private final String key;

    /** An item that owns {@code object}. */
    public Item(String key, long revision, ObjectNode object) {
      this(key, revision, object, null);
    }

    private Item(String key, long revision, ObjectNode object, SharedObject shared) {
      super(revision, object, shared);
      this.key = key;
    }

    /** An item over an object nobody may change, with its JSON at hand. */
    public static Item shared(String key, long revision, SharedObject shared) {
      return new Item(key, revision, null, shared);
    }

    public String key() {
      return key;
    }
  }

  /**
   * A change as a watch reports it: ADDED, MODIFIED or DELETED. As with {@link Item}, {@link
   * #object()} is the caller's to change and {@link #shared()} is the source's, when it has one.
   * Confined to one watch.
   */
  final class Event extends SharedOrOwned {
    private final String type;

    /** An event that owns {@code object}. */
    public Event(String type, long revision, ObjectNode object) {
      this(type, revision, object, null);
    }

    private Event(String type, long revision, ObjectNode object, SharedObject shared) {
      super(revision, object, shared);
      this.type = type;
    }

    /** An event over an object nobody may change, with its JSON at hand. */
    public static Event shared(String type, long revision, SharedObject shared) {
      return new Event(type, revision, null, shared);
    }

    public String type() {
      return type;
    }
  }

  /**
   * An object a source shares between requests and watches, with its compact JSON (as Jackson's
   * default ObjectMapper writes it), computed once. Neither may be changed.
   */
  interface SharedObject {
    ObjectNode object();

    byte[] json();
  }

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
