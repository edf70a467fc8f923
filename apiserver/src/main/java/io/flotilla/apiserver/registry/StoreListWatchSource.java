package io.flotilla.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.store.KeyValue;
import io.flotilla.store.RangeRequest;
import io.flotilla.store.Store;
import io.flotilla.store.StoreException;
import io.flotilla.store.Watch;
import io.flotilla.store.WatchEvent;
import io.flotilla.store.WatchListener;
import io.flotilla.store.WatchRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Lists and watches served straight from the Store: every list is a range read, every watch a store
 * watch. Filtered pages are filled by reading further chunks at the same revision.
 */
public final class StoreListWatchSource implements ListWatchSource {
  private static final long CHUNK = 500;
  private final Store store;

  public StoreListWatchSource(Store store) {
    this.store = store;
  }

  @Override
  public CompletableFuture<Page> list(
      String prefix, long revision, String fromKey, long limit, Predicate<JsonNode> filter) {
    List<Item> items = new ArrayList<>();
    return fill(prefix, revision, fromKey, limit, filter, items);
  }

  private CompletableFuture<Page> fill(
      String prefix,
      long revision,
      String fromKey,
      long limit,
      Predicate<JsonNode> filter,
      List<Item> items) {
    long want = limit <= 0 ? 0 : Math.max(CHUNK, limit - items.size() + 1);
    RangeRequest req = RangeRequest.prefix(prefix).withLimit(want).atRevision(revision);
    if (fromKey != null) {
      req = req.withFromKey(fromKey);
    }
    return store
        .range(req)
        .thenCompose(
            r -> {
              List<KeyValue> kvs = r.kvs();
              for (int i = 0; i < kvs.size(); i++) {
                KeyValue kv = kvs.get(i);
                ObjectNode o = ObjectCodec.decode(kv);
                if (!filter.test(o)) {
                  continue;
                }
                if (limit > 0 && items.size() == limit) {
                  // The page is full and at least one more object remains: continue from here.
                  return CompletableFuture.completedFuture(
                      new Page(r.revision(), items, kv.key(), r.count() - i));
                }
                items.add(new Item(kv.key(), kv.modRevision(), o));
              }
              if (r.more()) {
                String next = kvs.getLast().key() + "\0";
                return fill(prefix, r.revision(), next, limit, filter, items);
              }
              return CompletableFuture.completedFuture(new Page(r.revision(), items, null, 0));
            });
  }

  @Override
  public Cancellable watch(
      String prefix, long afterRevision, Predicate<JsonNode> filter, EventSink sink) {
    Watch w =
        store.watch(
            WatchRequest.prefix(prefix, afterRevision + 1),
            new WatchListener() {
              @Override
              public void onEvents(List<WatchEvent> events) {
                for (WatchEvent e : events) {
                  Event out = translate(e, filter);
                  if (out != null) {
                    sink.onEvent(out);
                  }
                }
              }

              @Override
              public void onError(StoreException error) {
                sink.onClose(error);
              }

              @Override
              public void onProgress(long revision) {
                sink.onBookmark(revision);
              }
            });
    return w::close;
  }

  /** A store change as the API reports it, or null when the filter hides it before and after. */
  static Event translate(WatchEvent e, Predicate<JsonNode> filter) {
    long rev = e.revision();
    ObjectNode prev =
        e.prevKv() == null
            ? null
            : ObjectCodec.decode(e.prevKv().value(), e.prevKv().modRevision());
    boolean prevMatched = prev != null && filter.test(prev);
    if (e.type() == WatchEvent.Type.DELETE) {
      if (!prevMatched) {
        return null;
      }
      prev.with("metadata").put("resourceVersion", Long.toString(rev));
      return new Event("DELETED", rev, prev);
    }
    ObjectNode cur = ObjectCodec.decode(e.kv());
    boolean curMatched = filter.test(cur);
    if (curMatched) {
      return new Event(prevMatched ? "MODIFIED" : "ADDED", rev, cur);
    }
    if (prevMatched) {
      // Upstream reports an object that leaves the selection as deleted, in its new state.
      return new Event("DELETED", rev, cur);
    }
    return null;
  }
}
