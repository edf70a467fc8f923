package io.flotilla.scheduler.framework;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * Runs a per-node function over index ranges on a fixed pool, in chunks of about sqrt(n) so that
 * threads take work as they free up. The calling thread works too, so parallelism 1 runs inline
 * with no hand-off at all.
 *
 * <p>Threading: one {@link #until} at a time per caller; calls from several threads share the pool
 * safely. {@link #close()} stops the pool.
 */
public final class Parallelizer implements AutoCloseable {
  private final int parallelism;
  private final ExecutorService pool;

  public Parallelizer(int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
    }
    this.parallelism = parallelism;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        parallelism == 1
            ? null
            : Executors.newFixedThreadPool(
                parallelism - 1,
                r -> {
                  Thread t = new Thread(r, "scheduler-worker-" + n.incrementAndGet());
                  t.setDaemon(true);
                  return t;
                });
  }

  public int parallelism() {
    return parallelism;
  }

  public void until(int pieces, IntConsumer work) {
    until(pieces, work, () -> false);
  }

  /**
   * Calls {@code work} for each index in [0, pieces) unless {@code stop} turns true, which ends the
   * run early (checked between chunks). Rethrows the first failure after all workers end.
   */
  public void until(int pieces, IntConsumer work, BooleanSupplier stop) {
    if (pieces <= 0) {
      return;
    }
    int chunk = Math.max(1, Math.min((int) Math.sqrt(pieces), pieces / parallelism + 1));
    int workers = Math.min(parallelism, (pieces + chunk - 1) / chunk);
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable worker =
        () -> {
          try {
            while (!stop.getAsBoolean() && failure.get() == null) {
              int start = next.getAndAdd(chunk);
              if (start >= pieces) {
                return;
              }
              int end = Math.min(pieces, start + chunk);
              for (int i = start; i < end; i++) {
                work.accept(i);
              }
            }
          } catch (Throwable t) {
            failure.compareAndSet(null, t);
          }
        };
    if (workers <= 1 || pool == null) {
      worker.run();
    } else {
      CountDownLatch done = new CountDownLatch(workers - 1);
      for (int w = 1; w < workers; w++) {
        pool.execute(
            () -> {
              try {
                worker.run();
              } finally {
                done.countDown();
              }
            });
      }
      worker.run();
      try {
        done.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for scheduler workers", e);
      }
    }
    Throwable t = failure.get();
    if (t instanceof RuntimeException re) {
      throw re;
    } else if (t instanceof Error err) {
      throw err;
    } else if (t != null) {
      throw new IllegalStateException(t);
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
