package io.flotilla.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's HTTP/2 clients: a few {@link HttpClient}s, each multiplexing the requests of up
 * to {@link #PER_CONNECTION} logical clients on one TLS connection, as kubectl, controllers and
 * informers sharing a process would.
 *
 * <p>Threading: thread-safe; the clients are shared by every benchmark thread.
 */
final class ApiClients implements AutoCloseable {
  /** Logical clients (or watchers) per HttpClient, hence per HTTP/2 connection. */
  static final int PER_CONNECTION = 16;

  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final ApiTarget target;
  private final List<HttpClient> clients = new ArrayList<>();

  /** Makes enough HttpClients for {@code logical} logical clients and opens their connections. */
  ApiClients(ApiTarget target, int logical) throws IOException, InterruptedException {
    this.target = target;
    int n = Math.max(1, (logical + PER_CONNECTION - 1) / PER_CONNECTION);
    for (int i = 0; i < n; i++) {
      clients.add(
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_2)
              .sslContext(target.tls())
              .connectTimeout(Duration.ofSeconds(10))
              .build());
    }
    // One request each before the measurements, so that TLS handshakes are not measured and
    // concurrent first requests do not each open a connection.
    for (HttpClient c : clients) {
      HttpResponse<String> r =
          c.send(request("/version").GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException(
            "GET %s/version answered %d: %s".formatted(target.base(), r.statusCode(), r.body()));
      }
      if (r.version() != HttpClient.Version.HTTP_2) {
        throw new IOException(target.base() + " did not negotiate HTTP/2 (ALPN h2)");
      }
    }
  }

  /** The HttpClient logical client (or watcher) {@code i} uses. */
  HttpClient client(int i) {
    return clients.get((i / PER_CONNECTION) % clients.size());
  }

  int connections() {
    return clients.size();
  }

  /** A request to a path (with query) on the target, JSON in and out. */
  HttpRequest.Builder request(String pathAndQuery) {
    return stream(pathAndQuery).timeout(REQUEST_TIMEOUT);
  }

  /** A request without a timeout, for a watch: a timeout could end the stream mid-body. */
  HttpRequest.Builder stream(String pathAndQuery) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(target.base() + pathAndQuery))
            .header("Accept", "application/json");
    if (target.authorization() != null) {
      b.header("Authorization", target.authorization());
    }
    return b;
  }

  /** A POST of a JSON body. */
  HttpRequest post(String path, String json) {
    return request(path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }

  /** Ends every request still open (watches included) and releases the connections. */
  @Override
  public void close() {
    clients.forEach(HttpClient::shutdownNow);
  }
}
