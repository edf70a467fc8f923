package io.flotilla.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** TLS with ALPN (HTTP/2 and HTTP/1.1), authentication, and the in-flight bound. */
class TransportTest {

  @Test
  void speaksHttp2OverTlsAndRejectsAnonymousRequests() throws Exception {
    SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
    Authenticator auth =
        (chain, headers) ->
            "Bearer good".equals(headers.get("Authorization"))
                ? new UserInfo("alice", "1", List.of("system:authenticated"))
                : null;
    var tls = ApiServer.tlsContext(cert.key(), new X509Certificate[] {cert.cert()});
    try (TestCluster c = new TestCluster(b -> b.sslContext(tls).authenticator(auth))) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      ks.setCertificateEntry("server", cert.cert());
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      String base = "https://localhost:" + c.server.port();
      for (HttpClient.Version v : List.of(HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_1_1)) {
        HttpClient client = HttpClient.newBuilder().sslContext(ssl).version(v).build();
        HttpResponse<String> ok =
            client.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/namespaces"))
                    .header("Authorization", "Bearer good")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.version()).isEqualTo(v);
        assertThat(ok.body()).contains("\"kind\":\"NamespaceList\"");
        HttpResponse<String> anonymous =
            client.send(
                HttpRequest.newBuilder(URI.create(base + "/api")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).contains("\"reason\":\"Unauthorized\"");
      }
      // A watch over HTTP/2 streams its events in DATA frames.
      HttpClient h2 =
          HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_2).build();
      HttpResponse<String> watch =
          h2.send(
              HttpRequest.newBuilder(
                      URI.create(base + "/api/v1/namespaces?watch=true&timeoutSeconds=1"))
                  .header("Authorization", "Bearer good")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(watch.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(watch.body().lines().filter(l -> l.contains("\"type\":\"ADDED\""))).hasSize(4);
    } finally {
      cert.delete();
    }
  }

  @Test
  void answers429BeyondTheInFlightBoundButStillServesWatches() throws Exception {
    try (TestCluster c = new TestCluster(b -> b.maxInFlight(0))) {
      HttpResponse<String> r = c.send("GET", "/api/v1/namespaces", null);
      assertThat(r.statusCode()).isEqualTo(429);
      assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(c.json(r).path("reason").asText()).isEqualTo("TooManyRequests");
      HttpResponse<String> watch =
          c.send("GET", "/api/v1/namespaces?watch=true&timeoutSeconds=1", null);
      assertThat(watch.statusCode()).isEqualTo(200);
      assertThat(watch.body()).contains("\"type\":\"ADDED\"");
    }
  }

  @Test
  void speaksH2cWithPriorKnowledge() throws Exception {
    try (TestCluster c = new TestCluster();
        java.net.Socket s = new java.net.Socket("127.0.0.1", c.server.port())) {
      s.getOutputStream()
          .write(
              "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      // An empty SETTINGS frame: length 0, type 4, flags 0, stream 0.
      s.getOutputStream().write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
      s.getOutputStream().flush();
      byte[] header = s.getInputStream().readNBytes(9);
      assertThat(header[3]).as("first server frame is SETTINGS").isEqualTo((byte) 4);
    }
  }
}
