package io.flotilla.controllers.runtime;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events about objects, as client-go's legacy event recorder: an event repeated
 * (same object, type, reason, message and component) bumps the {@code count} and {@code
 * lastTimestamp} of the event already written instead of writing a new one. Events of
 * cluster-scoped objects go to namespace {@code default}.
 *
 * <p>Thread-safe: callers only queue; one thread per recorder writes, in order, so recording never
 * blocks a reconcile. Failed writes are logged and dropped (events are best effort, as upstream).
 */
public final class EventRecorder implements AutoCloseable {
  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int CACHE = 4096;

  private record Seen(String namespace, String name, int count, Instant first) {}

  private final KubernetesClient client;
  private final String component;
  private final Clock clock;
  private final ExecutorService writer;
  // Guarded by the writer thread (only it reads and writes).
  private final Map<String, Seen> seen =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Seen> e) {
          return size() > CACHE;
        }
      };

  private long seq;

  public EventRecorder(KubernetesClient client, String component, Clock clock) {
    this.client = client;
    this.component = component;
    this.clock = clock;
    this.writer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "events-" + component);
              t.setDaemon(true);
              return t;
            });
  }

  public void normal(HasMetadata about, String reason, String format, Object... args) {
    event(about, NORMAL, reason, args.length == 0 ? format : String.format(format, args));
  }

  public void warning(HasMetadata about, String reason, String format, Object... args) {
    event(about, WARNING, reason, args.length == 0 ? format : String.format(format, args));
  }

  /** Queues an event of {@code type} ({@link #NORMAL} or {@link #WARNING}) about {@code about}. */
  public void event(HasMetadata about, String type, String reason, String message) {
    ObjectReference ref = reference(about);
    Instant now = clock.now().truncatedTo(ChronoUnit.SECONDS);
    try {
      writer.execute(() -> write(ref, type, reason, message, now));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed: dropped, as events after shutdown are
    }
  }

  static ObjectReference reference(HasMetadata o) {
    return new ObjectReferenceBuilder()
        .withApiVersion(o.getApiVersion())
        .withKind(o.getKind())
        .withNamespace(o.getMetadata().getNamespace())
        .withName(o.getMetadata().getName())
        .withUid(o.getMetadata().getUid())
        .withResourceVersion(o.getMetadata().getResourceVersion())
        .build();
  }

  private void write(ObjectReference ref, String type, String reason, String msg, Instant now) {
    String ns =
        ref.getNamespace() == null || ref.getNamespace().isEmpty() ? "default" : ref.getNamespace();
    String key =
        String.join("\u0000", ns, ref.getKind(), ref.getName(), ref.getUid(), type, reason, msg);
    String ts = DateTimeFormatter.ISO_INSTANT.format(now);
    Seen prior = seen.get(key);
    try {
      if (prior != null) {
        int count = prior.count + 1;
        String patch = "{\"count\":%d,\"lastTimestamp\":\"%s\"}".formatted(count, ts);
        Event e =
            client
                .v1()
                .events()
                .inNamespace(ns)
                .withName(prior.name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        if (e != null) {
          seen.put(key, new Seen(ns, prior.name, count, prior.first));
          return;
        }
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        LOG.warn("cannot update event {} in {}: {}", prior.name, ns, e.getMessage());
        return;
      }
    }
    String name =
        ref.getName()
            + "."
            + Long.toHexString(now.toEpochMilli() * 1_000_000L + (seq++ % 1_000_000));
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withNamespace(ns)
            .withName(name)
            .endMetadata()
            .withInvolvedObject(ref)
            .withType(type)
            .withReason(reason)
            .withMessage(msg)
            .withCount(1)
            .withFirstTimestamp(ts)
            .withLastTimestamp(ts)
            .withReportingComponent(component)
            .withNewSource()
            .withComponent(component)
            .endSource()
            .build();
    try {
      try {
        client.v1().events().inNamespace(ns).resource(event).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        // Another recorder (another component) took the name at the same instant (a manual
        // clock in tests, or a coarse one): once more under a random suffix.
        name =
            ref.getName()
                + "."
                + Long.toHexString(
                    java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 1);
        event.getMetadata().setName(name);
        client.v1().events().inNamespace(ns).resource(event).create();
      }
      seen.put(key, new Seen(ns, name, 1, now));
    } catch (KubernetesClientException e) {
      LOG.warn(
          "cannot record event {} {} about {}/{}: {}",
          type,
          reason,
          ns,
          ref.getName(),
          e.getMessage());
    }
  }

  /** Waits until every event queued so far was written (for orderly shutdown and tests). */
  public void flush() throws InterruptedException {
    var done = new java.util.concurrent.CountDownLatch(1);
    try {
      writer.execute(done::countDown);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return;
    }
    done.await(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writer.shutdownNow();
  }
}
