package io.flotilla.scheduler.client;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events about pods, as upstream's event recorder does: off the caller's thread,
 * through a bounded queue that drops events when the API server cannot keep up (upstream's
 * broadcaster drops too; scheduling must never wait for an Event). Events go to core/v1 so that
 * {@code kubectl describe pod}, which reads core/v1 Events by involvedObject, shows them.
 *
 * <p>Threading: {@link #emit} is thread-safe and never blocks; {@link #WORKERS} virtual threads
 * write. {@link #close()} stops them, dropping what was not written yet.
 */
public final class EventWriter implements AutoCloseable {
  static final int QUEUE_LENGTH = 1000;
  static final int WORKERS = 4;
  private static final Logger LOG = LoggerFactory.getLogger(EventWriter.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final String component;
  private final String instance;
  private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE_LENGTH);
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final Thread[] workers = new Thread[WORKERS];
  private volatile boolean closed;

  /**
   * @param component the reporting component ({@code default-scheduler}), as source.component
   * @param instance this process's identity, as reportingInstance
   */
  public EventWriter(KubernetesClient client, Clock clock, String component, String instance) {
    this.client = client;
    this.clock = clock;
    this.component = component;
    this.instance = instance;
    for (int i = 0; i < WORKERS; i++) {
      workers[i] = Thread.ofVirtual().name("scheduler-events-" + i).start(this::drain);
    }
  }

  /** Queues an Event about {@code pod}; drops it when the queue is full. */
  public void emit(Pod pod, String type, String reason, String action, String message) {
    if (closed) {
      return;
    }
    Event e = build(pod, type, reason, action, message);
    if (!queue.offer(e)) {
      long n = dropped.incrementAndGet();
      if (n == 1 || n % 1000 == 0) {
        LOG.warn("dropped {} events: the API server is not keeping up", n);
      }
    }
  }

  /** Events dropped so far because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  Event build(Pod pod, String type, String reason, String action, String message) {
    Instant now = clock.instant();
    String time = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
    var m = pod.getMetadata();
    // Upstream names events <object>.<hex timestamp>; a sequence number keeps them unique here.
    long stamp = now.getEpochSecond() * 1_000_000_000L + now.getNano() + sequence.incrementAndGet();
    return new EventBuilder()
        .withNewMetadata()
        .withName(m.getName() + "." + Long.toHexString(stamp))
        .withNamespace(m.getNamespace())
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion("v1")
        .withKind("Pod")
        .withNamespace(m.getNamespace())
        .withName(m.getName())
        .withUid(m.getUid())
        .withResourceVersion(m.getResourceVersion())
        .endInvolvedObject()
        .withType(type)
        .withReason(reason)
        .withAction(action)
        .withMessage(message)
        .withNewSource()
        .withComponent(component)
        .endSource()
        .withReportingComponent(component)
        .withReportingInstance(instance)
        .withFirstTimestamp(time)
        .withLastTimestamp(time)
        .withCount(1)
        .build();
  }

  private void drain() {
    while (!closed) {
      Event e;
      try {
        e = queue.poll(1, TimeUnit.SECONDS);
      } catch (InterruptedException ie) {
        return;
      }
      if (e == null) {
        continue;
      }
      try {
        client.v1().events().inNamespace(e.getMetadata().getNamespace()).resource(e).create();
      } catch (RuntimeException ex) {
        if (!closed) {
          LOG.debug("cannot write event {}: {}", e.getMetadata().getName(), ex.toString());
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Thread t : workers) {
      t.interrupt();
    }
  }
}
