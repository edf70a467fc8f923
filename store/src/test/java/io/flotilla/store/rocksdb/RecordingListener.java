package io.flotilla.store.rocksdb;

import io.flotilla.store.StoreException;
import io.flotilla.store.WatchEvent;
import io.flotilla.store.WatchListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** Collects what a watch delivers. */
class RecordingListener implements WatchListener {
  final List<WatchEvent> events = new CopyOnWriteArrayList<>();
  final AtomicReference<StoreException> error = new AtomicReference<>();

  @Override
  public void onEvents(List<WatchEvent> batch) {
    events.addAll(batch);
  }

  @Override
  public void onError(StoreException e) {
    error.set(e);
  }

  List<Long> revisions() {
    return events.stream().map(WatchEvent::revision).toList();
  }
}
