package io.flotilla.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flotilla.api.FieldError;
import io.flotilla.api.KindBehavior;
import io.flotilla.api.KindRegistry;
import io.flotilla.api.ResourceType;
import io.flotilla.store.rocksdb.RocksDbStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * An in-process apiserver on an ephemeral port over a real RocksDbStore in a temporary directory,
 * with a few test kinds (pods, deployments) added to the built-in registry, and a plain
 * java.net.http client.
 */
public final class TestCluster implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  final Path dir;
  final RocksDbStore store;
  final KindRegistry registry = registry();
  final ApiServer server;
  HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private String base = "http://127.0.0.1:";

  TestCluster() throws InterruptedException {
    this(b -> b);
  }

  TestCluster(Function<ApiServer.Builder, ApiServer.Builder> config) throws InterruptedException {
    try {
      dir = Files.createTempDirectory("apiserver-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    store = RocksDbStore.open(dir);
    server =
        config
            .apply(
                ApiServer.builder()
                    .store(store)
                    .registry(registry)
                    .workerThreads(2)
                    .bookmarkInterval(Duration.ofMillis(200)))
            .build()
            .start();
  }

  static KindRegistry registry() {
    KindRegistry r = KindRegistry.builtIn();
    r.register(
        new ResourceType(
            "apps",
            "v1",
            "Deployment",
            "deployments",
            "deployment",
            true,
            List.of("deploy"),
            List.of("all"),
            VERBS,
            Set.of("status", "scale"),
            "apps/deployments",
            new KindBehavior() {
              @Override
              public List<FieldError> validate(
                  com.fasterxml.jackson.databind.node.ObjectNode o,
                  com.fasterxml.jackson.databind.node.ObjectNode old) {
                int replicas = o.path("spec").path("replicas").asInt(1);
                return replicas < 0
                    ? List.of(
                        FieldError.invalid(
                            "spec.replicas", replicas, "must be greater than or equal to 0"))
                    : List.of();
              }
            }));
    return r;
  }

  String url() {
    return base + server.port();
  }

  /** Sends {@link #send} requests over TLS (HTTP/1.1) trusting {@code ssl}'s authorities. */
  void useTls(javax.net.ssl.SSLContext ssl) {
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(ssl)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    base = "https://localhost:";
  }

  HttpResponse<String> send(String method, String path, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.setHeader(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode json(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body());
  }

  static String configMap(String name, String labels) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
        + name
        + "\",\"labels\":{"
        + labels
        + "}},\"data\":{\"k\":\"v\"}}";
  }

  @Override
  public void close() {
    server.close();
    store.close();
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
