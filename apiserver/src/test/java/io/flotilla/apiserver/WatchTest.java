package io.flotilla.apiserver;

import static io.flotilla.apiserver.TestCluster.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Watches over chunked HTTP and over WebSocket. */
class WatchTest {
  static TestCluster c;

  @BeforeAll
  static void start() throws Exception {
    c = new TestCluster();
  }

  @AfterAll
  static void stop() {
    c.close();
  }

  /** Opens a chunked watch and collects its events, one JSON object per line. */
  static List<JsonNode> watch(String path, String... headers) {
    List<JsonNode> events = new CopyOnWriteArrayList<>();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(c.url() + path));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    CompletableFuture<HttpResponse<Stream<String>>> f =
        c.http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines());
    Thread.ofVirtual()
        .start(
            () -> {
              // The stream ends when the server closes; what arrived until then is kept.
              try (Stream<String> lines = f.join().body()) {
                lines.forEach(line -> events.add(parse(line)));
              } catch (RuntimeException closed) {
                // the server went away at the end of the test
              }
            });
    return events;
  }

  private static JsonNode parse(String line) {
    try {
      return TestCluster.JSON.readTree(line);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> types(List<JsonNode> events) {
    return events.stream().map(e -> e.path("type").asText()).toList();
  }

  @Test
  void sendsCurrentObjectsAsAddedThenLiveChanges() throws Exception {
    c.send("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"w1\"}}");
    String path = "/api/v1/namespaces/w1/configmaps";
    c.send("POST", path, configMap("before", ""));
    List<JsonNode> events = watch(path + "?watch=true");
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 1);
    c.send("POST", path, configMap("after", ""));
    c.send("PUT", path + "/after", configMap("after", "\"x\":\"y\""));
    c.send("DELETE", path + "/after", null);
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 4);
    assertThat(types(events)).containsExactly("ADDED", "ADDED", "MODIFIED", "DELETED");
    assertThat(events.get(1).path("object").path("metadata").path("name").asText())
        .isEqualTo("after");
    assertThat(events.get(1).path("object").path("kind").asText()).isEqualTo("ConfigMap");
  }

  @Test
  void resumesAfterAResourceVersionAndFiltersBySelector() throws Exception {
    c.send("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"w2\"}}");
    String path = "/api/v1/namespaces/w2/configmaps";
    JsonNode first = c.json(c.send("POST", path, configMap("a", "\"app\":\"x\"")));
    String rv = first.path("metadata").path("resourceVersion").asText();
    c.send("POST", path, configMap("b", "\"app\":\"y\""));
    c.send("POST", path, configMap("c", "\"app\":\"x\""));
    List<JsonNode> events =
        watch(
            "/api/v1/watch/namespaces/w2/configmaps?resourceVersion="
                + rv
                + "&labelSelector=app%3Dx");
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 1);
    assertThat(events.getFirst().path("object").path("metadata").path("name").asText())
        .isEqualTo("c");
    // Leaving the selection reads as a deletion.
    c.send(
        "PATCH",
        path + "/c",
        "{\"metadata\":{\"labels\":{\"app\":\"z\"}}}",
        "Content-Type",
        "application/merge-patch+json");
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 2);
    assertThat(types(events)).containsExactly("ADDED", "DELETED");
  }

  @Test
  void endsWithA410ErrorEventWhenTheRevisionIsCompacted() throws Exception {
    c.send("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"w3\"}}");
    String path = "/api/v1/namespaces/w3/configmaps";
    c.send("POST", path, configMap("a", ""));
    c.send("POST", path, configMap("b", ""));
    long rev = c.store.currentRevision().join();
    c.store.compact(rev).join();
    List<JsonNode> events = watch(path + "?watch=1&resourceVersion=2");
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 1);
    JsonNode e = events.getFirst();
    assertThat(e.path("type").asText()).isEqualTo("ERROR");
    assertThat(e.path("object").path("code").asInt()).isEqualTo(410);
    assertThat(e.path("object").path("reason").asText()).isEqualTo("Expired");
    assertThat(e.path("object").path("message").asText()).startsWith("too old resource version: 2");
  }

  @Test
  void sendsBookmarksWhenAllowed() throws Exception {
    String path = "/api/v1/namespaces/default/configmaps";
    List<JsonNode> events = watch(path + "?watch=true&allowWatchBookmarks=true&resourceVersion=0");
    await().atMost(Duration.ofSeconds(10)).until(() -> types(events).contains("BOOKMARK"));
    JsonNode b =
        events.stream()
            .filter(e -> e.path("type").asText().equals("BOOKMARK"))
            .findFirst()
            .orElseThrow();
    assertThat(b.path("object").path("metadata").path("resourceVersion").asLong()).isPositive();
    assertThat(b.path("object").path("metadata").size()).isEqualTo(1);
  }

  @Test
  void sendsOneRowTablesWhenTheClientAsksForTables() throws Exception {
    c.send("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"w4\"}}");
    String path = "/api/v1/namespaces/w4/configmaps";
    c.send("POST", path, configMap("t1", ""));
    List<JsonNode> events =
        watch(path + "?watch=true", "Accept", "application/json;as=Table;v=v1;g=meta.k8s.io");
    c.send("POST", path, configMap("t2", ""));
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 2);
    JsonNode t = events.getFirst().path("object");
    assertThat(t.path("kind").asText()).isEqualTo("Table");
    assertThat(t.path("rows")).hasSize(1);
    assertThat(t.path("columnDefinitions")).isNotEmpty();
    assertThat(events.get(1).path("object").path("rows").get(0).path("cells").get(0).asText())
        .isEqualTo("t2");
  }

  @Test
  void endsAfterTimeoutSeconds() throws Exception {
    HttpResponse<String> r =
        c.send("GET", "/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
  }

  @Test
  void streamsWatchEventsOverWebSocket() throws Exception {
    c.send("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"ws\"}}");
    String path = "/api/v1/namespaces/ws/configmaps";
    List<JsonNode> events = new CopyOnWriteArrayList<>();
    WebSocket ws =
        c.http
            .newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://127.0.0.1:" + c.server.port() + path + "?watch=true"),
                new WebSocket.Listener() {
                  final StringBuilder buf = new StringBuilder();

                  @Override
                  public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    buf.append(data);
                    if (last) {
                      try {
                        events.add(TestCluster.JSON.readTree(buf.toString()));
                      } catch (Exception e) {
                        throw new IllegalStateException(e);
                      }
                      buf.setLength(0);
                    }
                    w.request(1);
                    return null;
                  }
                })
            .join();
    c.send("POST", path, configMap("over-ws", ""));
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 1);
    assertThat(events.getFirst().path("type").asText()).isEqualTo("ADDED");
    assertThat(events.getFirst().path("object").path("metadata").path("name").asText())
        .isEqualTo("over-ws");
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
  }
}
