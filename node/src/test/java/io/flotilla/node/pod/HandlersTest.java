package io.flotilla.node.pod;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.TCPSocketActionBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HandlersTest {
  private HttpServer server;
  private int port;
  private Container container;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/ok",
        ex -> {
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    server.createContext(
        "/bad",
        ex -> {
          ex.sendResponseHeaders(503, -1);
          ex.close();
        });
    server.start();
    port = server.getAddress().getPort();
    container =
        new ContainerBuilder()
            .withName("c")
            .addNewPort()
            .withName("http")
            .withContainerPort(port)
            .endPort()
            .build();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void httpGetSucceedsOnA2xxThroughANamedPortAndFailsOnA5xx() {
    var ok = new HTTPGetActionBuilder().withPath("/ok").withPort(new IntOrString("http")).build();
    var bad = new HTTPGetActionBuilder().withPath("/bad").withPort(new IntOrString(port)).build();
    assertThat(Handlers.httpGet(ok, container, "127.0.0.1", Duration.ofSeconds(10))).isNull();
    assertThat(Handlers.httpGet(bad, container, "127.0.0.1", Duration.ofSeconds(10)))
        .isEqualTo("HTTP probe failed with statuscode: 503");
  }

  @Test
  void tcpSocketSucceedsOnAListeningPortAndFailsOnAClosedOne() throws Exception {
    var open = new TCPSocketActionBuilder().withPort(new IntOrString(port)).build();
    assertThat(Handlers.tcp(open, container, "127.0.0.1", Duration.ofSeconds(10))).isNull();
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    var shut = new TCPSocketActionBuilder().withPort(new IntOrString(closed)).build();
    assertThat(Handlers.tcp(shut, container, "127.0.0.1", Duration.ofSeconds(10)))
        .startsWith("dial tcp 127.0.0.1:" + closed);
  }
}
