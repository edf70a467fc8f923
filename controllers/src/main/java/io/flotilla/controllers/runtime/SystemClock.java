package io.flotilla.controllers.runtime;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The wall clock, with one daemon thread that runs delayed tasks. Thread-safe; {@link #close()}
 * stops the scheduler thread.
 */
public final class SystemClock implements Clock, AutoCloseable {
  private final java.time.Clock clock = java.time.Clock.system(ZoneOffset.UTC);
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "controller-clock");
            t.setDaemon(true);
            return t;
          });

  @Override
  public Instant now() {
    return clock.instant();
  }

  @Override
  public java.time.Clock javaClock() {
    return clock;
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    if (scheduler.isShutdown()) {
      return () -> {};
    }
    ScheduledFuture<?> f =
        scheduler.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
