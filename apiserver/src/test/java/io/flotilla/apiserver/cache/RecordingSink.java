package io.flotilla.apiserver.cache;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** A sink that records what it receives, and checks that calls never overlap. */
class RecordingSink implements WatchSink {
  final List<CacheEvent> events = new CopyOnWriteArrayList<>();
  final List<Long> bookmarks = new CopyOnWriteArrayList<>();

  /** Completes with the close error, or with a plain {@link Object} for an ordinary close. */
  final CompletableFuture<Object> closed = new CompletableFuture<>();

  private final AtomicBoolean inCall = new AtomicBoolean();
  volatile boolean overlapped;

  @Override
  public void onEvent(CacheEvent event) {
    enter();
    try {
      handle(event);
      events.add(event);
    } finally {
      inCall.set(false);
    }
  }

  /** Hook for sinks that stall. */
  void handle(CacheEvent event) {}

  @Override
  public void onBookmark(long revision) {
    enter();
    bookmarks.add(revision);
    inCall.set(false);
  }

  @Override
  public void onClose(Throwable errorOrNull) {
    enter();
    closed.complete(errorOrNull == null ? new Object() : errorOrNull);
    inCall.set(false);
  }

  private void enter() {
    if (!inCall.compareAndSet(false, true)) {
      overlapped = true;
    }
  }

  List<Long> revisions() {
    return events.stream().map(e -> e.object().revision()).toList();
  }

  List<String> summary() {
    return events.stream()
        .map(e -> e.type() + " " + e.object().key() + " @" + e.object().revision())
        .toList();
  }
}
