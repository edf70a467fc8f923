package io.flotilla.controllers.runtime;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires informer events to a {@link Reconciler} through a rate-limited {@link WorkQueue}, as a
 * client-go sample controller: handlers only turn objects into keys and enqueue them; after every
 * watched informer has synced, {@code workers} threads take keys and reconcile them. A reconcile
 * that throws or returns {@link Result#requeue()} is retried with per-key exponential backoff; one
 * that returns {@link Result#requeueAfter} is looked at again after the delay; success forgets the
 * key's backoff.
 *
 * <p>Threading: handlers run on informer threads and only touch the queue; each worker is a
 * platform thread named after the controller; the queue guarantees a key is reconciled by one
 * worker at a time. {@link #close()} stops the workers after their current reconcile.
 */
public final class Controller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

  private final String name;
  private final Reconciler reconciler;
  private final ControllerContext ctx;
  private final int workers;
  private final WorkQueue<String> queue;
  private final List<SharedIndexInformer<?>> watched;
  private final List<Thread> threads = new ArrayList<>();
  private final List<Runnable> onClose;
  private volatile boolean stopped;

  private Controller(Builder b) {
    this.name = b.name;
    this.reconciler = b.reconciler;
    this.ctx = b.ctx;
    this.workers = b.workers;
    this.watched = List.copyOf(b.watched);
    this.onClose = List.copyOf(b.onClose);
    RateLimiter<String> limiter =
        b.limiter != null ? b.limiter : RateLimiters.defaultControllerRateLimiter(ctx.clock());
    this.queue = new WorkQueue<>(ctx.clock(), limiter, ctx.metrics().queueListener(name));
    b.registrations.forEach(r -> r.accept(this));
  }

  public static Builder builder(ControllerContext ctx, String name, Reconciler reconciler) {
    return new Builder(ctx, name, reconciler);
  }

  public String name() {
    return name;
  }

  public WorkQueue<String> queue() {
    return queue;
  }

  /** Queues {@code key} for a reconcile. */
  public void enqueue(String key) {
    queue.add(key);
  }

  /** Queues {@code key} for a reconcile after {@code delay}. */
  public void enqueueAfter(String key, Duration delay) {
    queue.addAfter(key, delay);
  }

  /**
   * Starts the workers once every watched informer has synced; returns at once. The informers
   * themselves are started by {@link SharedInformers#start()}.
   */
  public synchronized void start() {
    CompletableFuture<?>[] syncs =
        watched.stream().map(i -> ctx.informers().synced(i)).toArray(CompletableFuture[]::new);
    CompletableFuture.allOf(syncs)
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                LOG.error("controller {}: an informer failed to start", name, e);
                return;
              }
              startWorkers();
            });
  }

  private synchronized void startWorkers() {
    if (stopped || !threads.isEmpty()) {
      return;
    }
    for (int i = 0; i < workers; i++) {
      Thread t = new Thread(this::work, name + "-worker-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void work() {
    while (!stopped) {
      String key;
      try {
        key = queue.get(Duration.ofSeconds(1));
      } catch (InterruptedException e) {
        return;
      }
      if (key == null) {
        if (queue.isShuttingDown()) {
          return;
        }
        continue;
      }
      try {
        process(key);
      } finally {
        queue.done(key);
      }
    }
  }

  private void process(String key) {
    long start = System.nanoTime();
    String outcome;
    try {
      Result r = Objects.requireNonNull(reconciler.reconcile(key), "reconcile returned null");
      if (!r.retry()) {
        queue.forget(key);
        outcome = "success";
      } else if (r.after().isZero()) {
        queue.addRateLimited(key);
        outcome = "requeue";
      } else {
        queue.forget(key);
        queue.addAfter(key, r.after());
        outcome = "requeue_after";
      }
    } catch (Exception | StackOverflowError e) {
      outcome = "error";
      int retries = queue.retries(key);
      if (retries < 3) {
        LOG.info("controller {}: reconcile {} failed, will retry: {}", name, key, e.toString());
      } else {
        LOG.warn("controller {}: reconcile {} failed {} times", name, key, retries + 1, e);
      }
      queue.addRateLimited(key);
    }
    ctx.metrics().reconciled(name, outcome, System.nanoTime() - start);
  }

  /** Stops taking keys; waits for the workers to finish the reconcile they are in. */
  @Override
  public void close() {
    List<Thread> ts;
    synchronized (this) {
      stopped = true;
      queue.shutDown();
      ts = List.copyOf(threads);
    }
    onClose.forEach(Runnable::run);
    for (Thread t : ts) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Builds a {@link Controller}: its name, reconciler, workers and the informers it watches. */
  public static final class Builder {
    private final ControllerContext ctx;
    private final String name;
    private final Reconciler reconciler;
    private int workers = 1;
    private RateLimiter<String> limiter;
    private final List<SharedIndexInformer<?>> watched = new ArrayList<>();
    private final List<java.util.function.Consumer<Controller>> registrations = new ArrayList<>();
    private final List<Runnable> onClose = new ArrayList<>();

    private Builder(ControllerContext ctx, String name, Reconciler reconciler) {
      this.ctx = ctx;
      this.name = name;
      this.reconciler = reconciler;
    }

    public Builder workers(int n) {
      this.workers = n;
      return this;
    }

    public Builder rateLimiter(RateLimiter<String> limiter) {
      this.limiter = limiter;
      return this;
    }

    /** Reconciles each object of {@code informer} under its own key. */
    public <T extends io.fabric8.kubernetes.api.model.HasMetadata> Builder watch(
        SharedIndexInformer<T> informer) {
      return watch(informer, o -> List.of(Keys.of(o)));
    }

    /**
     * Reconciles the keys {@code keys} maps each object of {@code informer} to (for example the
     * owner of a Pod); on update both the old and the new object's keys are queued.
     */
    public <T> Builder watch(
        SharedIndexInformer<T> informer, Function<T, Collection<String>> keys) {
      watched.add(informer);
      registrations.add(
          c ->
              informer.addEventHandler(
                  new ResourceEventHandler<T>() {
                    @Override
                    public void onAdd(T obj) {
                      keys.apply(obj).forEach(c::enqueue);
                    }

                    @Override
                    public void onUpdate(T oldObj, T newObj) {
                      keys.apply(oldObj).forEach(c::enqueue);
                      keys.apply(newObj).forEach(c::enqueue);
                    }

                    @Override
                    public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                      keys.apply(obj).forEach(c::enqueue);
                    }
                  }));
      return this;
    }

    /**
     * Waits for {@code informer} to sync before starting workers, without queueing anything for its
     * events (for caches the reconciler only reads, or whose handlers it registers itself).
     */
    public Builder reads(SharedIndexInformer<?> informer) {
      watched.add(informer);
      return this;
    }

    /** Runs {@code hook} when the controller is closed (to stop timers the controller started). */
    public Builder onClose(Runnable hook) {
      onClose.add(hook);
      return this;
    }

    public Controller build() {
      return new Controller(this);
    }
  }
}
