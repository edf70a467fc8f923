package io.flotilla.apiserver.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flotilla.apiserver.registry.JsonMappers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * How a {@link WatchCache} sizes its event window and queues, paces bookmarks and runs its work.
 * Immutable; start from {@link #defaults()}.
 *
 * @param maxEvents the most changes the event window keeps
 * @param maxEventAge changes older than this leave the window
 * @param watchQueueSize the most undelivered changes per watch before the watch is ended
 * @param bookmarkInterval how long a watch that asked for bookmarks may go without one
 * @param tickInterval how often bookmarks and window age are checked
 * @param freshnessTimeout how long {@link WatchCache#waitForRevision} waits before giving up
 * @param clock the clock for ages and bookmark intervals
 * @param mapper parses stored values
 * @param deliveryExecutor runs watch delivery; null for a virtual-thread executor the cache owns
 * @param scheduler runs ticks and retries; null for a single-thread scheduler the cache owns
 */
public record WatchCacheOptions(
    int maxEvents,
    Duration maxEventAge,
    int watchQueueSize,
    Duration bookmarkInterval,
    Duration tickInterval,
    Duration freshnessTimeout,
    Clock clock,
    ObjectMapper mapper,
    ExecutorService deliveryExecutor,
    ScheduledExecutorService scheduler) {

  public WatchCacheOptions {
    if (maxEvents < 1 || watchQueueSize < 1) {
      throw new IllegalArgumentException(
          "maxEvents and watchQueueSize must be positive, got %d and %d"
              .formatted(maxEvents, watchQueueSize));
    }
    for (Duration d : List.of(maxEventAge, bookmarkInterval, tickInterval, freshnessTimeout)) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("durations must be positive, got " + d);
      }
    }
    if (clock == null || mapper == null) {
      throw new IllegalArgumentException("clock and mapper must not be null");
    }
  }

  /** 10,000 events or 75 s of history, 1,000 queued events per watch, 1 s bookmarks. */
  public static WatchCacheOptions defaults() {
    return new WatchCacheOptions(
        10_000,
        Duration.ofSeconds(75),
        1_000,
        Duration.ofSeconds(1),
        Duration.ofMillis(250),
        Duration.ofSeconds(3),
        Clock.systemUTC(),
        JsonMappers.pooled(),
        null,
        null);
  }

  public WatchCacheOptions withWindow(int maxEvents, Duration maxEventAge) {
    return new WatchCacheOptions(
        maxEvents,
        maxEventAge,
        watchQueueSize,
        bookmarkInterval,
        tickInterval,
        freshnessTimeout,
        clock,
        mapper,
        deliveryExecutor,
        scheduler);
  }

  public WatchCacheOptions withWatchQueueSize(int size) {
    return new WatchCacheOptions(
        maxEvents,
        maxEventAge,
        size,
        bookmarkInterval,
        tickInterval,
        freshnessTimeout,
        clock,
        mapper,
        deliveryExecutor,
        scheduler);
  }

  public WatchCacheOptions withBookmarks(Duration interval, Duration tick) {
    return new WatchCacheOptions(
        maxEvents,
        maxEventAge,
        watchQueueSize,
        interval,
        tick,
        freshnessTimeout,
        clock,
        mapper,
        deliveryExecutor,
        scheduler);
  }

  public WatchCacheOptions withFreshnessTimeout(Duration timeout) {
    return new WatchCacheOptions(
        maxEvents,
        maxEventAge,
        watchQueueSize,
        bookmarkInterval,
        tickInterval,
        timeout,
        clock,
        mapper,
        deliveryExecutor,
        scheduler);
  }

  public WatchCacheOptions withClock(Clock clock) {
    return new WatchCacheOptions(
        maxEvents,
        maxEventAge,
        watchQueueSize,
        bookmarkInterval,
        tickInterval,
        freshnessTimeout,
        clock,
        mapper,
        deliveryExecutor,
        scheduler);
  }

  public WatchCacheOptions withExecutors(
      ExecutorService delivery, ScheduledExecutorService scheduler) {
    return new WatchCacheOptions(
        maxEvents,
        maxEventAge,
        watchQueueSize,
        bookmarkInterval,
        tickInterval,
        freshnessTimeout,
        clock,
        mapper,
        delivery,
        scheduler);
  }
}
