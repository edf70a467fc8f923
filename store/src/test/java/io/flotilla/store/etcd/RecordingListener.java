package io.flotilla.store.etcd;

import io.flotilla.store.StoreException;
import io.flotilla.store.WatchEvent;
import io.flotilla.store.WatchListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Records what a watch delivers and notices calls that overlap or batches that are empty. */
final class RecordingListener implements WatchListener {
  private final List<WatchEvent> events = new ArrayList<>();
  private final List<StoreException> errors = new ArrayList<>();
  private final AtomicInteger inside = new AtomicInteger();
  private final AtomicBoolean misbehaved = new AtomicBoolean();

  @Override
  public void onEvents(List<WatchEvent> batch) {
    enter();
    if (batch.isEmpty()) {
      misbehaved.set(true);
    }
    synchronized (this) {
      events.addAll(batch);
    }
    leave();
  }

  @Override
  public void onError(StoreException error) {
    enter();
    synchronized (this) {
      errors.add(error);
    }
    leave();
  }

  private void enter() {
    if (inside.incrementAndGet() != 1) {
      misbehaved.set(true);
    }
  }

  private void leave() {
    inside.decrementAndGet();
  }

  synchronized List<WatchEvent> events() {
    return List.copyOf(events);
  }

  synchronized List<Long> revisions() {
    return events.stream().map(WatchEvent::revision).toList();
  }

  synchronized List<StoreException> errors() {
    return List.copyOf(errors);
  }

  /** Whether two calls overlapped or a batch was empty, both of which the SPI forbids. */
  boolean misbehaved() {
    return misbehaved.get();
  }
}
