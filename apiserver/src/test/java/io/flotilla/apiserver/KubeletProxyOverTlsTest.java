package io.flotilla.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.apiserver.kubelet.KubeletClient;
import io.flotilla.apiserver.security.ClusterPki;
import io.flotilla.apiserver.security.TlsContexts;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubelet relays behind the apiserver's TLS: HTTP/2 streams and HTTP/1.1 upgrades. */
class KubeletProxyOverTlsTest {
  @TempDir Path tmp;
  private KubeletFixture kubelet;
  private TestCluster c;
  private SSLContext ssl;

  @BeforeEach
  void start() throws Exception {
    ClusterPki pki = ClusterPki.loadOrCreate(tmp.resolve("cluster"), List.of(), Clock.systemUTC());
    kubelet = new KubeletFixture(pki, tmp.resolve("kubelet"));
    c =
        new TestCluster(
            b ->
                b.sslContext(TlsContexts.server(pki))
                    .kubeletClient(KubeletClient.create(pki.kubeletClient())));
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    ks.setCertificateEntry("ca", pki.ca().certificate());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    c.useTls(ssl);
    KubeletProxyTest.createNode(c, "n1", kubelet.port());
    KubeletProxyTest.createPod(c, "web", "n1", "", "app");
  }

  @AfterEach
  void stop() {
    c.close();
    kubelet.close();
  }

  @Test
  void followedLogsArriveInHttp2DataFramesAsTheyAreWritten() throws Exception {
    HttpClient h2 =
        HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_2).build();
    HttpResponse<InputStream> r =
        h2.send(
            HttpRequest.newBuilder(
                    URI.create(base() + "/api/v1/namespaces/default/pods/web/log?follow=true"))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(lines.readLine()).isEqualTo("line 1");
      await().atMost(Duration.ofSeconds(30)).until(() -> kubelet.followers() == 1);
      kubelet.emit("line 2");
      assertThat(lines.readLine()).isEqualTo("line 2");
      kubelet.endLogs();
      assertThat(lines.readLine()).isNull();
    }
  }

  @Test
  void execOverHttp2IsRefusedAsUpstreamDoes() throws Exception {
    HttpClient h2 =
        HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_2).build();
    HttpResponse<String> r =
        h2.send(
            HttpRequest.newBuilder(
                    URI.create(base() + "/api/v1/namespaces/default/pods/web/exec?command=sh"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("Upgrade request required");
  }

  @Test
  void anUpgradeOverTlsIsSplicedBothWays() throws Exception {
    try (SSLSocket s =
        (SSLSocket) ssl.getSocketFactory().createSocket("localhost", c.server.port())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /api/v1/namespaces/default/pods/web/portforward HTTP/1.1\r\n"
                  + "Host: localhost\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                  + "Content-Length: 0\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        head.append((char) in.read());
      }
      assertThat(head.toString()).startsWith("HTTP/1.1 101");

      byte[] big = new byte[256 * 1024];
      for (int i = 0; i < big.length; i++) {
        big[i] = (byte) i;
      }
      Thread writer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      out.write(big);
                      out.flush();
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  });
      assertThat(in.readNBytes(big.length)).isEqualTo(big);
      writer.join();
    }
    assertThat(kubelet.requests.getLast().uri()).isEqualTo("/portForward/default/web");
  }

  private String base() {
    return "https://localhost:" + c.server.port();
  }
}
