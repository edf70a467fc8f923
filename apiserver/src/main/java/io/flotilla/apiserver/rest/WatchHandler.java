package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.ResourceType;
import io.flotilla.apiserver.registry.ListWatchSource;
import io.flotilla.apiserver.registry.ListWatchSource.Cancellable;
import io.flotilla.apiserver.registry.ListWatchSource.Event;
import io.flotilla.apiserver.registry.ListWatchSource.Item;
import io.flotilla.apiserver.registry.ListWatchSource.SharedObject;
import io.flotilla.apiserver.registry.ObjectCodec;
import io.flotilla.store.CompactedException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code ?watch=true}: without a resourceVersion (or "0") the current objects come first as ADDED,
 * then live changes; with one, the changes after it. A compacted start revision ends the stream
 * with an ERROR event carrying a 410 Status. Bookmarks and timeoutSeconds as upstream.
 */
public final class WatchHandler {
  private final RestContext ctx;

  public WatchHandler(RestContext ctx) {
    this.ctx = ctx;
  }

  public Reply handle(ApiRequest req, Negotiation n) {
    Selection sel = Selection.of(req);
    String rv = req.param("resourceVersion");
    long start = rv == null || rv.isEmpty() ? 0 : ReadHandler.parseRevision(rv);
    long timeout = req.longParam("timeoutSeconds", 0);
    boolean bookmarks = "true".equals(req.param("allowWatchBookmarks"));
    return new Reply.Stream(new Stream(req, n, sel, start, timeout, bookmarks));
  }

  private final class Stream implements Reply.WatchStream, ListWatchSource.EventSink {
    private final ApiRequest req;
    private final Negotiation n;
    private final Selection sel;
    private final long start;
    private final long timeoutSeconds;
    private final boolean bookmarks;
    private final ResourceType type;
    private final boolean sharedJson;
    private Reply.StreamOutput out;
    private Cancellable watch;
    private ScheduledFuture<?> timeoutTask;
    private ScheduledFuture<?> bookmarkTask;
    private long lastRevision;
    private boolean first = true;
    private boolean closed;

    Stream(
        ApiRequest req,
        Negotiation n,
        Selection sel,
        long start,
        long timeoutSeconds,
        boolean bookmarks) {
      this.req = req;
      this.n = n;
      this.sel = sel;
      this.start = start;
      this.timeoutSeconds = timeoutSeconds;
      this.bookmarks = bookmarks;
      this.type = req.type();
      this.sharedJson = SharedJson.applies(req, n, type);
    }

    @Override
    public synchronized void start(Reply.StreamOutput output) {
      this.out = output;
      String prefix = ObjectCodec.prefix(type, req.namespace());
      if (timeoutSeconds > 0) {
        timeoutTask = ctx.timers().schedule(() -> onClose(null), timeoutSeconds, TimeUnit.SECONDS);
      }
      if (bookmarks) {
        long every = ctx.bookmarkIntervalMillis();
        bookmarkTask =
            ctx.timers()
                .scheduleAtFixedRate(this::periodicBookmark, every, every, TimeUnit.MILLISECONDS);
      }
      if (start > 0) {
        lastRevision = start;
        watch = ctx.source().watch(prefix, start, sel, this);
        return;
      }
      ctx.source()
          .list(prefix, 0, null, 0, sel)
          .whenComplete(
              (page, err) -> {
                synchronized (this) {
                  if (closed) {
                    return;
                  }
                  if (err != null) {
                    onClose(err);
                    return;
                  }
                  lastRevision = page.revision();
                  for (Item i : page.items()) {
                    emit("ADDED", i.shared(), i::object);
                  }
                  watch = ctx.source().watch(prefix, page.revision(), sel, this);
                }
              });
    }

    @Override
    public synchronized void onEvent(Event e) {
      if (closed) {
        return;
      }
      lastRevision = Math.max(lastRevision, e.revision());
      emit(e.type(), e.shared(), e::object);
    }

    @Override
    public synchronized void onBookmark(long revision) {
      lastRevision = Math.max(lastRevision, revision);
    }

    private synchronized void periodicBookmark() {
      if (closed || lastRevision == 0) {
        return;
      }
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("kind", type.kind()).put("apiVersion", type.apiVersion());
      o.putObject("metadata").put("resourceVersion", Long.toString(lastRevision));
      write("BOOKMARK", o);
    }

    /**
     * Sends one object: from the source's shared JSON when that is what the client asked for (one
     * serialization for every watcher of a change), else from a copy of the object.
     */
    private void emit(String eventType, SharedObject shared, Supplier<ObjectNode> copy) {
      if (sharedJson && SharedJson.asAddressed(type, shared)) {
        out.event(SharedJson.event(eventType, shared.json()));
      } else {
        ObjectNode obj = ReadHandler.stamp(type, copy.get());
        write(eventType, Representations.single(n, req, type, obj, ctx.clock().instant(), first));
      }
      first = false;
    }

    private void write(String eventType, ObjectNode object) {
      ObjectNode ev = JsonNodeFactory.instance.objectNode();
      ev.put("type", eventType);
      ev.set("object", object);
      out.event(Replies.bytes(ev));
    }

    @Override
    public void stop() {
      onClose(null);
    }

    @Override
    public synchronized void onClose(Throwable error) {
      if (closed) {
        return;
      }
      Throwable cause =
          error instanceof CompletionException && error.getCause() != null
              ? error.getCause()
              : error;
      if (cause instanceof CompactedException c) {
        StatusException gone =
            StatusException.gone(
                "too old resource version: " + start + " (" + c.compactRevision() + ")");
        write("ERROR", gone.toStatus());
      } else if (cause != null) {
        write("ERROR", StatusException.internal(cause).toStatus());
      }
      cancel();
      if (out != null) {
        out.end();
      }
    }

    @Override
    public synchronized void cancel() {
      if (closed) {
        return;
      }
      closed = true;
      if (watch != null) {
        watch.cancel();
      }
      if (timeoutTask != null) {
        timeoutTask.cancel(false);
      }
      if (bookmarkTask != null) {
        bookmarkTask.cancel(false);
      }
    }
  }
}
