package io.flotilla.store.etcd;

import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import io.flotilla.store.CompactedException;
import io.flotilla.store.FutureRevisionException;
import io.flotilla.store.StoreException;
import io.flotilla.store.StoreUnavailableException;
import io.flotilla.store.Watch;
import io.flotilla.store.WatchEvent;
import io.flotilla.store.WatchListener;
import io.flotilla.store.WatchRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link Watch} on etcd that survives lost connections without losing or repeating a change.
 *
 * <p>jetcd reconnects watches by itself, but it resumes from a revision it bumps to the server's
 * header revision when the watch is created, which can skip changes that were still on their way.
 * So this class keeps its own resume point, the revision of the last change it delivered, and on
 * any retryable failure replaces the jetcd watcher by a new one that starts just after that point.
 * Each jetcd watcher is one {@link Attempt}; callbacks of a retired attempt are ignored, so two
 * attempts never both deliver, and changes at or below the resume point are dropped.
 *
 * <p>Threading: jetcd calls back on its own threads. Every callback takes {@link #lock}, so
 * listener calls never overlap and stop once {@link #close()} returns. jetcd holds its own lock
 * while it reports an error, so this class never calls into jetcd while holding {@link #lock}:
 * jetcd watchers are closed on the reconnect thread.
 */
final class EtcdWatch implements Watch {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdWatch.class);
  private static final long UNKNOWN = -1;
  private static final long FIRST_BACKOFF_MILLIS = 100;
  private static final long MAX_BACKOFF_MILLIS = 2000;

  private final io.etcd.jetcd.Watch client;
  private final ScheduledExecutorService reconnector;
  private final WatchRequest request;
  private final WatchListener listener;
  private final Consumer<EtcdWatch> onEnd;
  private final Object lock = new Object();

  // Guarded by lock.
  private long delivered;
  private Attempt current;
  private boolean ended;
  private long backoffMillis = FIRST_BACKOFF_MILLIS;

  EtcdWatch(
      io.etcd.jetcd.Watch client,
      ScheduledExecutorService reconnector,
      WatchRequest request,
      WatchListener listener,
      Consumer<EtcdWatch> onEnd) {
    this.client = client;
    this.reconnector = reconnector;
    this.request = request;
    this.listener = listener;
    this.onEnd = onEnd;
    // Start 0 means "after the current revision": the server tells it when the watch is created.
    this.delivered = request.startRevision() == 0 ? UNKNOWN : request.startRevision() - 1;
  }

  void start() {
    connect();
  }

  private void connect() {
    Attempt attempt;
    synchronized (lock) {
      if (ended) {
        return;
      }
      attempt = new Attempt(delivered == UNKNOWN ? 0 : delivered + 1);
      current = attempt;
    }
    WatchOption.Builder option =
        WatchOption.builder()
            .withRevision(attempt.from)
            .withPrevKV(true)
            .withCreateNotify(true)
            .withProgressNotify(true);
    if (request.prefix()) {
      option.withRange(EtcdConversions.prefixEnd(request.key()));
    }
    io.etcd.jetcd.Watch.Watcher watcher;
    try {
      watcher = client.watch(EtcdConversions.bytes(request.key()), option.build(), attempt);
    } catch (RuntimeException e) {
      attempt.onError(e);
      return;
    }
    boolean retiredMeanwhile;
    synchronized (lock) {
      attempt.watcher = watcher;
      retiredMeanwhile = attempt.retired;
    }
    if (retiredMeanwhile) {
      watcher.close();
    }
  }

  /** Stops delivery; idempotent. */
  @Override
  public void close() {
    Attempt last;
    synchronized (lock) {
      if (ended) {
        return;
      }
      ended = true;
      last = retire();
    }
    onEnd.accept(this);
    closeLater(last);
  }

  /** Ends the watch with {@code error}, unless it has ended already. */
  void end(StoreException error) {
    Attempt last;
    synchronized (lock) {
      if (ended) {
        return;
      }
      ended = true;
      last = retire();
      listener.onError(error);
    }
    onEnd.accept(this);
    closeLater(last);
  }

  // Called with lock held.
  private Attempt retire() {
    Attempt a = current;
    if (a != null) {
      a.retired = true;
    }
    return a;
  }

  private void closeLater(Attempt attempt) {
    if (attempt == null) {
      return;
    }
    Runnable close =
        () -> {
          io.etcd.jetcd.Watch.Watcher w;
          synchronized (lock) {
            w = attempt.watcher;
          }
          if (w != null) {
            w.close();
          }
        };
    try {
      reconnector.execute(close);
    } catch (RejectedExecutionException storeClosed) {
      // The store is closing and closes the client, which closes every jetcd watcher.
    }
  }

  /** One jetcd watcher, from one connect until it fails or the watch ends. */
  private final class Attempt implements io.etcd.jetcd.Watch.Listener {
    final long from;
    // Guarded by lock.
    boolean retired;
    io.etcd.jetcd.Watch.Watcher watcher;

    Attempt(long from) {
      this.from = from;
    }

    @Override
    public void onNext(WatchResponse response) {
      synchronized (lock) {
        if (ended || retired) {
          return;
        }
        long headerRevision = response.getHeader().getRevision();
        if (response.isCreatedNotify()) {
          if (delivered == UNKNOWN) {
            delivered = headerRevision;
          }
          backoffMillis = FIRST_BACKOFF_MILLIS;
          return;
        }
        if (response.isProgressNotify()) {
          if (delivered != UNKNOWN && headerRevision > delivered) {
            delivered = headerRevision;
          }
          listener.onProgress(headerRevision);
          return;
        }
        deliver(response.getEvents());
      }
    }

    // Called with lock held.
    private void deliver(List<io.etcd.jetcd.watch.WatchEvent> raw) {
      List<WatchEvent> fresh = new ArrayList<>(raw.size());
      for (io.etcd.jetcd.watch.WatchEvent e : raw) {
        WatchEvent event = EtcdConversions.event(e);
        // One revision may hold several events (a lease expiry deletes many keys at once), and
        // etcd never splits a revision across responses: drop only revisions already delivered.
        if (delivered == UNKNOWN || event.revision() > delivered) {
          fresh.add(event);
        }
      }
      if (fresh.isEmpty()) {
        return;
      }
      delivered = fresh.getLast().revision();
      listener.onEvents(List.copyOf(fresh));
    }

    @Override
    public void onError(Throwable failure) {
      Attempt toClose;
      boolean endedNow = false;
      synchronized (lock) {
        if (ended || retired) {
          return;
        }
        if (!EtcdErrors.isRetryable(failure)) {
          ended = true;
          endedNow = true;
          toClose = retire();
          listener.onError(finalError(failure));
        } else {
          LOG.info(
              "watch on {} lost its stream ({}); resuming after revision {}",
              request.key(),
              EtcdErrors.unwrap(failure).getMessage(),
              delivered);
          toClose = retire();
          scheduleReconnect();
        }
      }
      if (endedNow) {
        onEnd.accept(EtcdWatch.this);
      }
      closeLater(toClose);
    }

    private StoreException finalError(Throwable failure) {
      Throwable t = EtcdErrors.unwrap(failure);
      if (t instanceof io.etcd.jetcd.common.exception.CompactedException ce) {
        return new CompactedException(from, ce.getCompactedRevision());
      }
      if (String.valueOf(t.getMessage()).contains(EtcdErrors.COMPACTED)) {
        return new CompactedException(from, -1);
      }
      if (String.valueOf(t.getMessage()).contains(EtcdErrors.FUTURE)) {
        return new FutureRevisionException(from, -1);
      }
      if (t instanceof io.etcd.jetcd.common.exception.ClosedClientException) {
        return new StoreUnavailableException("the etcd store was closed; the watch has ended", t);
      }
      return new StoreException("etcd ended the watch on " + request.key() + ": " + t, t);
    }

    /** The server ended the stream without an error: reconnect, as after a failure. */
    @Override
    public void onCompleted() {
      Attempt toClose;
      synchronized (lock) {
        if (ended || retired) {
          return;
        }
        toClose = retire();
        scheduleReconnect();
      }
      closeLater(toClose);
    }

    // Called with lock held.
    private void scheduleReconnect() {
      long delay = backoffMillis;
      backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
      try {
        reconnector.schedule(EtcdWatch.this::connect, delay, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException storeClosed) {
        // The store is closing; close() ends this watch.
      }
    }
  }
}
