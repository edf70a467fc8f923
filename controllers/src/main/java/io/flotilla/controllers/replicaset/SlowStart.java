package io.flotilla.controllers.replicaset;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Upstream's {@code slowStartBatch}: runs {@code count} calls in batches of 1, 2, 4, … (each batch
 * in parallel), stopping after the first batch in which a call fails, so a quota or admission error
 * costs one call rather than hundreds. Stateless; each batch runs on virtual threads.
 */
public final class SlowStart {
  /** Upstream's {@code SlowStartInitialBatchSize}. */
  public static final int INITIAL_BATCH = 1;

  private SlowStart() {}

  /** One call; {@code i} counts from 0 across all batches. */
  @FunctionalInterface
  public interface Call {
    void run(int i) throws Exception;
  }

  /** What a run did: how many calls succeeded and the first error, if any. */
  public record Outcome(int successes, Exception error) {}

  public static Outcome run(int count, int initialBatch, Call call) throws InterruptedException {
    int remaining = count;
    int successes = 0;
    int next = 0;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int batch = Math.min(remaining, initialBatch);
          batch > 0;
          batch = Math.min(2 * batch, remaining)) {
        List<Future<?>> futures = new ArrayList<>(batch);
        for (int j = 0; j < batch; j++) {
          int i = next++;
          futures.add(
              pool.submit(
                  () -> {
                    call.run(i);
                    return null;
                  }));
        }
        Exception first = null;
        for (Future<?> f : futures) {
          try {
            f.get();
            successes++;
          } catch (ExecutionException e) {
            if (first == null) {
              first = e.getCause() instanceof Exception x ? x : new RuntimeException(e.getCause());
            }
          }
        }
        if (first != null) {
          return new Outcome(successes, first);
        }
        remaining -= batch;
      }
    }
    return new Outcome(successes, null);
  }
}
