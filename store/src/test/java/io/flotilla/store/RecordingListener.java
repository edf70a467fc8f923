package io.flotilla.store;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link WatchListener} that keeps everything it is told, for tests. It also notes when two calls
 * overlap, which the SPI forbids.
 */
final class RecordingListener implements WatchListener {
  static final Duration DEADLINE = Duration.ofSeconds(20);

  private final List<WatchEvent> events = new CopyOnWriteArrayList<>();
  private final AtomicReference<StoreException> error = new AtomicReference<>();
  private final AtomicInteger inside = new AtomicInteger();
  private final AtomicInteger overlaps = new AtomicInteger();
  private final AtomicInteger emptyBatches = new AtomicInteger();

  @Override
  public void onEvents(List<WatchEvent> batch) {
    enter();
    try {
      if (batch.isEmpty()) {
        emptyBatches.incrementAndGet();
      }
      events.addAll(batch);
    } finally {
      inside.decrementAndGet();
    }
  }

  @Override
  public void onError(StoreException e) {
    enter();
    try {
      error.compareAndSet(null, e);
    } finally {
      inside.decrementAndGet();
    }
  }

  private void enter() {
    if (inside.incrementAndGet() > 1) {
      overlaps.incrementAndGet();
    }
  }

  List<WatchEvent> events() {
    return List.copyOf(events);
  }

  List<Long> revisions() {
    return events.stream().map(WatchEvent::revision).toList();
  }

  /** Waits until at least {@code n} events have arrived and returns all of them. */
  List<WatchEvent> awaitEvents(int n) {
    await("%d watch events (have %s)".formatted(n, events))
        .atMost(DEADLINE)
        .until(() -> events.size() >= n || error.get() != null);
    if (error.get() != null) {
      throw new AssertionError("the watch failed instead of delivering events", error.get());
    }
    return events();
  }

  /** Waits for the watch to end with an error and returns it. */
  StoreException awaitError() {
    await("the watch to report an error").atMost(DEADLINE).until(() -> error.get() != null);
    return error.get();
  }

  StoreException error() {
    return error.get();
  }

  /** Calls that overlapped another call or carried an empty batch: both break the SPI. */
  int misbehaviours() {
    return overlaps.get() + emptyBatches.get();
  }
}
