package io.flotilla.apiserver.registry;

import io.flotilla.store.CompactedException;
import io.flotilla.store.Store;
import io.flotilla.store.StoreException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts the store's history the way kube-apiserver does: at every tick it compacts up to the
 * revision it saw at the previous tick, so that history younger than one interval is always kept
 * for watches and paginated lists, and older history does not grow without bound.
 *
 * <p>Threading: one scheduler thread of its own; {@link #tick} may also be called by tests. Several
 * apiservers sharing one store may all run this: compacting to a revision that another already
 * compacted fails with {@link CompactedException}, which is ignored.
 */
public final class StoreCompactor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StoreCompactor.class);

  private final Store store;
  private final AtomicLong seenAtLastTick = new AtomicLong();
  private final ScheduledExecutorService timer;

  private StoreCompactor(Store store, Duration interval) {
    this.store = store;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("store-compactor").unstarted(r));
    long millis = interval.toMillis();
    timer.scheduleWithFixedDelay(this::tick, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Starts compacting every {@code interval}; a zero or negative interval compacts never. */
  public static StoreCompactor start(Store store, Duration interval) {
    return interval.isZero() || interval.isNegative() ? null : new StoreCompactor(store, interval);
  }

  /** One round: compact to the revision seen last round, then remember the current one. */
  void tick() {
    try {
      long target = seenAtLastTick.get();
      long current = store.currentRevision().get(30, TimeUnit.SECONDS);
      if (target > 1 && target < current) {
        try {
          store.compact(target).get(60, TimeUnit.SECONDS);
          LOG.debug("compacted the store at revision {}", target);
        } catch (java.util.concurrent.ExecutionException e) {
          if (!(StoreException.of(e) instanceof CompactedException)) {
            throw e;
          }
        }
      }
      seenAtLastTick.set(current);
    } catch (Exception e) {
      LOG.warn("store compaction failed; will try again next interval: {}", e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
