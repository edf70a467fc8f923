package io.flotilla.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Watch delivery delay: {@code watchers} HTTP/2 watch streams on one namespace, then ConfigMaps
 * created there at a fixed rate; for each watcher and each object, the time from the create's
 * acknowledgement (201 received) to the ADDED event received on that watcher's stream.
 *
 * <p>An event can reach a watcher before the create's answer reaches its sender, as both travel
 * separately; such delays count as 0 and are reported apart ({@link Result#beforeAck()}).
 *
 * <p>Threading: {@link #run} blocks; one virtual thread reads each stream.
 *
 * @param http the clients; watcher {@code w} uses {@code http.client(w)}
 * @param objects the bodies
 * @param namespace where the watched ConfigMaps go
 */
record WatchLoad(ApiClients http, BenchConfigMaps objects, String namespace) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String READY = "ready";
  private static final String PREFIX = "e-";
  private static final long WAIT_SECONDS = 30;

  /** What the phase measured. */
  record Result(long delivered, long beforeAck, Histogram delayNanos) {
    double percentileMillis(double percentile) {
      return delayNanos.getTotalCount() == 0
          ? 0
          : delayNanos.getValueAtPercentile(percentile) / 1e6;
    }
  }

  Result run(int watchers, int events, double perSecond, Failures failures, AtomicLong progress)
      throws InterruptedException, IOException {
    String rv = currentResourceVersion();
    AtomicLongArray[] received = new AtomicLongArray[watchers];
    CountDownLatch ready = new CountDownLatch(watchers);
    CountDownLatch complete = new CountDownLatch(watchers);
    AtomicBoolean finished = new AtomicBoolean();
    List<Stream<String>> streams = new ArrayList<>();
    ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
    try {
      List<CompletableFuture<HttpResponse<Stream<String>>>> opened = new ArrayList<>();
      for (int w = 0; w < watchers; w++) {
        received[w] = new AtomicLongArray(events);
        opened.add(http.client(w).sendAsync(watch(rv), HttpResponse.BodyHandlers.ofLines()));
      }
      for (int w = 0; w < watchers; w++) {
        HttpResponse<Stream<String>> r = headers(opened.get(w), failures);
        if (r == null || r.statusCode() != 200) {
          if (r != null) {
            failures.record("watch", r);
            r.body().close();
          }
          ready.countDown();
          complete.countDown();
          continue;
        }
        streams.add(r.body());
        Reader reader = new Reader(received[w], ready, complete, finished, failures);
        readers.submit(() -> reader.read(r.body()));
      }
      // Every stream has seen one object before the timed ones, so none is still starting.
      create(READY, failures);
      if (!ready.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        failures.record("watch: a watcher saw no event within %d s".formatted(WAIT_SECONDS));
      }
      AtomicLongArray acks = new AtomicLongArray(events);
      new CreateLoad(http, objects, namespace, PREFIX)
          .openLoop(perSecond, events, failures, progress, (i, at) -> acks.set((int) i, at));
      complete.await(WAIT_SECONDS, TimeUnit.SECONDS);
      finished.set(true);
      return delays(received, acks, failures);
    } finally {
      finished.set(true);
      streams.forEach(Stream::close);
      readers.shutdownNow();
    }
  }

  private static Result delays(
      AtomicLongArray[] received, AtomicLongArray acks, Failures failures) {
    Histogram delays = CreateLoad.newHistogram();
    long beforeAck = 0;
    long missing = 0;
    for (AtomicLongArray watcher : received) {
      for (int i = 0; i < acks.length(); i++) {
        long ack = acks.get(i);
        long at = watcher.get(i);
        if (ack == 0) {
          continue; // the create failed, and was counted then
        }
        if (at == 0) {
          missing++;
          continue;
        }
        if (at < ack) {
          beforeAck++;
        }
        delays.recordValue(Math.max(0, at - ack));
      }
    }
    if (missing > 0) {
      failures.record("watch: event not delivered within %d s".formatted(WAIT_SECONDS), missing);
    }
    return new Result(delays.getTotalCount(), beforeAck, delays);
  }

  private String currentResourceVersion() throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.client(0)
            .send(
                http.request(BenchConfigMaps.path(namespace) + "?limit=1").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(
          "listing %s answered %d: %s".formatted(namespace, r.statusCode(), r.body()));
    }
    return JSON.readTree(r.body()).path("metadata").path("resourceVersion").asText();
  }

  private HttpRequest watch(String rv) {
    return http.stream(
            BenchConfigMaps.path(namespace)
                + "?watch=true&allowWatchBookmarks=false&timeoutSeconds=3600&resourceVersion="
                + rv)
        .GET()
        .build();
  }

  private static HttpResponse<Stream<String>> headers(
      CompletableFuture<HttpResponse<Stream<String>>> f, Failures failures)
      throws InterruptedException {
    try {
      return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      failures.record("watch", e);
      return null;
    }
  }

  private void create(String name, Failures failures) throws InterruptedException {
    try {
      HttpResponse<String> r =
          http.client(0)
              .send(
                  http.post(BenchConfigMaps.path(namespace), objects.json(name, System.nanoTime())),
                  HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 201) {
        failures.record("create", r);
      }
    } catch (IOException e) {
      failures.record("create", e);
    }
  }

  /**
   * An event's type and its object's name, read with a streaming parser that skips everything else,
   * so that a hundred watchers reading every event cost the benchmark's side little.
   */
  record EventHead(String type, String name) {
    static EventHead of(String line) throws IOException {
      String type = "";
      String name = "";
      try (JsonParser p = JSON.getFactory().createParser(line)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw new IOException("a watch event is not a JSON object: " + line);
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          p.nextToken();
          if (field.equals("type")) {
            type = p.getText();
          } else if (field.equals("object") && p.currentToken() == JsonToken.START_OBJECT) {
            name = objectName(p);
          } else {
            p.skipChildren();
          }
        }
      }
      return new EventHead(type, name);
    }

    /** metadata.name of the object the parser is at the start of; leaves it at the object's end. */
    private static String objectName(JsonParser p) throws IOException {
      String name = "";
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("metadata") && p.currentToken() == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            if (f.equals("name")) {
              name = p.getText();
            } else {
              p.skipChildren();
            }
          }
        } else {
          p.skipChildren();
        }
      }
      return name;
    }
  }

  /** Reads one watch stream, noting when each timed object's ADDED event arrived. */
  private record Reader(
      AtomicLongArray received,
      CountDownLatch ready,
      CountDownLatch complete,
      AtomicBoolean finished,
      Failures failures) {

    Void read(Stream<String> lines) {
      boolean sawReady = false;
      int count = 0;
      try {
        for (var it = lines.iterator(); it.hasNext() && count < received.length(); ) {
          long now = System.nanoTime();
          String line = it.next();
          EventHead head = EventHead.of(line);
          String type = head.type();
          if (type.equals("ERROR")) {
            JsonNode event = JSON.readTree(line);
            failures.record("watch: ERROR event " + event.path("object").path("reason").asText());
            break;
          }
          String name = head.name();
          if (type.equals("ADDED") && name.equals(READY) && !sawReady) {
            sawReady = true;
            ready.countDown();
          } else if (type.equals("ADDED") && name.startsWith(PREFIX)) {
            int index = Integer.parseInt(name.substring(PREFIX.length()));
            if (received.compareAndSet(index, 0, now) && ++count == received.length()) {
              complete.countDown();
            }
          }
        }
        if (count < received.length() && !finished.get()) {
          failures.record("watch: stream ended before all events arrived");
        }
      } catch (IOException | RuntimeException e) {
        if (!finished.get()) {
          failures.record("watch", e);
        }
      }
      if (!sawReady) {
        ready.countDown();
      }
      if (count < received.length()) {
        complete.countDown();
      }
      return null;
    }
  }
}
