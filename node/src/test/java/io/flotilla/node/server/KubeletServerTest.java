package io.flotilla.node.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.flotilla.apiserver.security.ClusterPki;
import io.flotilla.node.AgentOptions;
import io.flotilla.node.runtime.process.ProcessAgent;
import io.flotilla.testing.InProcessCluster;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The kubelet API server of a process agent, over real TLS with client certificates from a cluster
 * CA: logs, exec over WebSocket (v5, v4) and SPDY, port-forward over SPDY and WebSocket-tunnelled
 * SPDY, and 401 without a client certificate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubeletServerTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String NODE = "kubelet-node";
  private InProcessCluster cluster;
  private KubernetesClient client;
  private ProcessAgent agent;
  private Path dataDir;
  private SSLContext tls;
  private SSLContext noCert;
  private SSLContext otherCa;
  private java.security.cert.X509Certificate servingCertificate;
  private String base;
  private int port;
  private int httpPort;
  private Path www;

  @BeforeAll
  void start() throws Exception {
    cluster = InProcessCluster.start();
    client = cluster.client();
    dataDir = Files.createTempDirectory("flotilla-kubelet");
    ClusterPki pki =
        ClusterPki.loadOrCreate(dataDir.resolve("cluster"), List.of(), Clock.systemUTC());
    KubeletTls kt =
        KubeletTls.create(
            dataDir.resolve("kubelet-pki"),
            List.of(),
            List.of(pki.ca().certificate()),
            Clock.systemUTC());
    AgentOptions opts =
        AgentOptions.defaults()
            .withRestartBackoff(
                Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofMinutes(10));
    agent =
        ProcessAgent.start(
            client,
            NODE,
            "127.0.0.1",
            dataDir.resolve("agent"),
            opts,
            new KubeletServer.Options("127.0.0.1", 0, kt));
    port = agent.kubeletServer().port();
    base = "https://127.0.0.1:" + port;
    ClusterPki.CertAndKey user =
        pki.issueClient("kube-apiserver-kubelet-client", List.of(), Clock.systemUTC());
    tls = TestTls.context(kt.servingCertificate(), user);
    servingCertificate = kt.servingCertificate();
    noCert = TestTls.context(kt.servingCertificate(), null);
    ClusterPki other =
        ClusterPki.loadOrCreate(dataDir.resolve("other"), List.of(), Clock.systemUTC());
    otherCa =
        TestTls.context(
            kt.servingCertificate(), other.issueClient("intruder", List.of(), Clock.systemUTC()));
    www = Files.createTempDirectory("flotilla-kubelet-www");
    Files.writeString(www.resolve("index.html"), "hello through the tunnel\n");
    try (ServerSocket s = new ServerSocket(0)) {
      httpPort = s.getLocalPort();
    }
    create("logger", "echo one; echo two; echo three; sleep 3600", "Always");
    create("ticker", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done", "Always");
    create("crasher", "echo run; sleep 1; exit 1", "Always");
    create("shell", "sleep 3600", "Always");
    Pod attachee =
        Serialization.unmarshal(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: attachee, namespace: default}
            spec:
              nodeName: %s
              containers:
              - name: main
                image: none
                stdin: true
                command: [/bin/sh, -c, 'while read l; do echo got $l; done']
            """
                .formatted(NODE),
            Pod.class);
    client.pods().resource(attachee).create();
    create(
        "web", "exec /usr/bin/busybox httpd -f -p 127.0.0.1:" + httpPort + " -h " + www, "Always");
  }

  @AfterAll
  void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private void create(String name, String script, String restart) {
    String yaml =
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s}
        spec:
          restartPolicy: %s
          containers:
          - name: main
            image: none
            command: [/bin/sh, -c, '%s']
        """
            .formatted(name, restart, script);
    Pod p = Serialization.unmarshal(yaml, Pod.class);
    p.getMetadata().setNamespace("default");
    p.getSpec().setNodeName(NODE);
    client.pods().resource(p).create();
  }

  private void awaitRunning(String name) {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              Pod p = client.pods().inNamespace("default").withName(name).get();
              return p != null
                  && p.getStatus() != null
                  && "Running".equals(p.getStatus().getPhase())
                  && p.getStatus().getContainerStatuses() != null
                  && p.getStatus().getContainerStatuses().getFirst().getState().getRunning()
                      != null;
            });
  }

  private HttpResponse<String> get(String path, SSLContext ctx) throws Exception {
    HttpClient c = HttpClient.newBuilder().sslContext(ctx).build();
    return c.send(
        HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aRequestWithoutAClientCertificateIsUnauthorized() throws Exception {
    HttpResponse<String> r = get("/containerLogs/default/logger/main", noCert);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("\"kind\":\"Status\"").contains("Unauthorized");
  }

  @Test
  void aClientCertificateFromAnotherCaIsUnauthorized() throws Exception {
    assertThat(get("/containerLogs/default/logger/main", otherCa).statusCode()).isEqualTo(401);
  }

  @Test
  void theServingCertificateIsKeptInItsDirectoryAndReused() {
    KubeletTls again =
        KubeletTls.create(dataDir.resolve("kubelet-pki"), List.of(), List.of(), Clock.systemUTC());
    assertThat(again.servingCertificate()).isEqualTo(servingCertificate);
  }

  @Test
  void logsAreServedWithoutTheCriPrefixWithTailTimestampsAndLimitBytes() throws Exception {
    awaitRunning("logger");
    await()
        .atMost(WAIT)
        .until(
            () ->
                get("/containerLogs/default/logger/main", tls).body().equals("one\ntwo\nthree\n"));
    assertThat(get("/containerLogs/default/logger/main?tailLines=2", tls).body())
        .isEqualTo("two\nthree\n");
    assertThat(get("/containerLogs/default/logger/main?limitBytes=6", tls).body())
        .isEqualTo("one\ntw");
    String stamped = get("/containerLogs/default/logger/main?timestamps=true", tls).body();
    assertThat(stamped.split("\n"))
        .hasSize(3)
        .allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z \\w+"));
  }

  @Test
  void unknownPodsAndContainersAreNotFound() throws Exception {
    HttpResponse<String> r = get("/containerLogs/default/nope/main", tls);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("\"reason\":\"NotFound\"");
    awaitRunning("logger");
    assertThat(get("/containerLogs/default/logger/other", tls).statusCode()).isEqualTo(404);
  }

  @Test
  void previousLogsAreThoseOfTheInstanceBefore() throws Exception {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              Pod p = client.pods().inNamespace("default").withName("crasher").get();
              return p.getStatus() != null
                  && p.getStatus().getContainerStatuses() != null
                  && p.getStatus().getContainerStatuses().getFirst().getRestartCount() >= 1;
            });
    HttpResponse<String> r = get("/containerLogs/default/crasher/main?previous=true", tls);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("run\n");
    awaitRunning("logger");
    HttpResponse<String> none = get("/containerLogs/default/logger/main?previous=true", tls);
    assertThat(none.statusCode()).isEqualTo(400);
    assertThat(none.body())
        .contains("previous terminated container \\\"main\\\" in pod \\\"logger\\\" not found");
  }

  @Test
  void followingALogSeesLinesWrittenLater() throws Exception {
    awaitRunning("ticker");
    HttpClient c = HttpClient.newBuilder().sslContext(tls).build();
    HttpResponse<InputStream> r =
        c.send(
            HttpRequest.newBuilder(
                    URI.create(base + "/containerLogs/default/ticker/main?follow=true&tailLines=1"))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    try (InputStream in = r.body()) {
      ByteArrayOutputStream seen = new ByteArrayOutputStream();
      byte[] buf = new byte[1024];
      // The first line is the last one written before the request; later ones come as written.
      while (seen.toString(StandardCharsets.UTF_8).split("\n").length < 4) {
        int n = in.read(buf);
        assertThat(n).isPositive();
        seen.write(buf, 0, n);
      }
      String[] lines = seen.toString(StandardCharsets.UTF_8).split("\n");
      int first = Integer.parseInt(lines[0].replace("tick ", ""));
      assertThat(lines[3]).isEqualTo("tick " + (first + 3));
    }
  }

  /** Collects a WebSocket's binary messages by channel. */
  private static final class Channels implements WebSocket.Listener {
    final Map<Integer, ByteArrayOutputStream> byChannel = new ConcurrentHashMap<>();
    volatile boolean closed;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      partial.writeBytes(b);
      if (last) {
        byte[] m = partial.toByteArray();
        partial.reset();
        if (m.length > 0) {
          byChannel
              .computeIfAbsent(m[0] & 0xff, k -> new ByteArrayOutputStream())
              .write(m, 1, m.length - 1);
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      closed = true;
      return null;
    }

    String text(int channel) {
      ByteArrayOutputStream b = byChannel.get(channel);
      return b == null ? "" : b.toString(StandardCharsets.UTF_8);
    }
  }

  private WebSocket webSocket(String path, Channels listener, String... protocols) {
    HttpClient c = HttpClient.newBuilder().sslContext(tls).build();
    var b = c.newWebSocketBuilder();
    b.subprotocols(protocols[0], java.util.Arrays.copyOfRange(protocols, 1, protocols.length));
    return b.buildAsync(URI.create("wss://127.0.0.1:" + port + path), listener).join();
  }

  private static String cmd(String... argv) {
    StringBuilder s = new StringBuilder();
    for (String a : argv) {
      s.append("&command=").append(java.net.URLEncoder.encode(a, StandardCharsets.UTF_8));
    }
    return s.toString();
  }

  @Test
  void execOverV5PassesStdoutStderrAndTheExitCode() throws Exception {
    awaitRunning("shell");
    Channels ch = new Channels();
    WebSocket ws =
        webSocket(
            "/exec/default/shell/main?stdout=1&stderr=1"
                + cmd("sh", "-c", "echo out; echo err >&2; exit 3"),
            ch,
            "v5.channel.k8s.io",
            "v4.channel.k8s.io");
    assertThat(ws.getSubprotocol()).isEqualTo("v5.channel.k8s.io");
    await().atMost(WAIT).until(() -> ch.closed);
    assertThat(ch.text(1)).isEqualTo("out\n");
    assertThat(ch.text(2)).isEqualTo("err\n");
    JsonNode status = Statuses.JSON.readTree(ch.text(3));
    assertThat(status.path("status").asText()).isEqualTo("Failure");
    assertThat(status.path("reason").asText()).isEqualTo("NonZeroExitCode");
    assertThat(status.path("details").path("causes").get(0).path("reason").asText())
        .isEqualTo("ExitCode");
    assertThat(status.path("details").path("causes").get(0).path("message").asText())
        .isEqualTo("3");
    assertThat(status.path("message").asText())
        .isEqualTo(
            "command terminated with non-zero exit code: error executing command [sh -c echo out;"
                + " echo err >&2; exit 3], exit code 3");
  }

  @Test
  void execOverV4EndsWithSuccess() throws Exception {
    awaitRunning("shell");
    Channels ch = new Channels();
    WebSocket ws =
        webSocket(
            "/exec/default/shell/main?stdout=1" + cmd("echo", "fine"), ch, "v4.channel.k8s.io");
    assertThat(ws.getSubprotocol()).isEqualTo("v4.channel.k8s.io");
    await().atMost(WAIT).until(() -> ch.closed);
    assertThat(ch.text(1)).isEqualTo("fine\n");
    assertThat(Statuses.JSON.readTree(ch.text(3)).path("status").asText()).isEqualTo("Success");
  }

  @Test
  void stdinClosedOverV5ReachesCatAsEndOfFile() throws Exception {
    awaitRunning("shell");
    Channels ch = new Channels();
    WebSocket ws =
        webSocket(
            "/exec/default/shell/main?stdin=1&stdout=1&stderr=1" + cmd("cat"),
            ch,
            "v5.channel.k8s.io");
    byte[] hello = "\0hello cat\n".getBytes(StandardCharsets.UTF_8);
    ws.sendBinary(ByteBuffer.wrap(hello), true).join();
    ws.sendBinary(ByteBuffer.wrap(new byte[] {(byte) 255, 0}), true).join();
    await().atMost(WAIT).until(() -> ch.closed);
    assertThat(ch.text(1)).isEqualTo("hello cat\n");
    assertThat(Statuses.JSON.readTree(ch.text(3)).path("status").asText()).isEqualTo("Success");
  }

  @Test
  void execWithATerminalRunsOnAPseudoTerminalOfTheSizeAsked() throws Exception {
    awaitRunning("shell");
    Channels ch = new Channels();
    WebSocket ws =
        webSocket(
            "/exec/default/shell/main?stdin=1&stdout=1&tty=1"
                + cmd("sh", "-c", "read x; tty; stty size"),
            ch,
            "v5.channel.k8s.io");
    ws.sendBinary(
            ByteBuffer.wrap("\4{\"Width\":100,\"Height\":40}".getBytes(StandardCharsets.UTF_8)),
            true)
        .join();
    ws.sendBinary(ByteBuffer.wrap("\0go\n".getBytes(StandardCharsets.UTF_8)), true).join();
    await().atMost(WAIT).until(() -> ch.closed);
    assertThat(ch.text(1)).contains("/dev/pts/").contains("40 100");
    assertThat(ch.text(2)).isEmpty();
    assertThat(Statuses.JSON.readTree(ch.text(3)).path("status").asText()).isEqualTo("Success");
  }

  @Test
  void attachWritesToTheContainersStdinAndReadsItsOutput() throws Exception {
    awaitRunning("attachee");
    Channels ch = new Channels();
    WebSocket ws =
        webSocket(
            "/attach/default/attachee/main?stdin=1&stdout=1&stderr=1", ch, "v5.channel.k8s.io");
    ws.sendBinary(ByteBuffer.wrap("\0hello\n".getBytes(StandardCharsets.UTF_8)), true).join();
    await().atMost(WAIT).until(() -> ch.text(1).contains("got hello\n"));
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    // Detaching leaves the container running; its log has the line too.
    await()
        .atMost(WAIT)
        .until(() -> get("/containerLogs/default/attachee/main", tls).body().equals("got hello\n"));
  }

  @Test
  void execInAContainerThatIsNotRunningIsABadRequest() throws Exception {
    HttpResponse<String> r = get("/exec/default/nope/main?stdout=1&command=true", tls);
    assertThat(r.statusCode()).isEqualTo(404);
    HttpResponse<String> noStreams = get("/exec/default/shell/main?command=true", tls);
    assertThat(noStreams.statusCode()).isEqualTo(400);
    assertThat(noStreams.body()).contains("at least 1 of stdin, stdout, stderr");
  }

  /** Opens a TLS socket, upgrades {@code path} to SPDY/3.1 and pumps bytes into a client. */
  private SpdyTestClient spdy(String path, String version, String[] answer) throws Exception {
    SpdyTestClient[] client = new SpdyTestClient[1];
    java.util.function.Consumer<byte[]> send =
        upgrade(
            "POST "
                + path
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                + "X-Stream-Protocol-Version: "
                + version
                + "\r\nContent-Length: 0\r\n\r\n",
            answer,
            b -> client[0].received(b));
    client[0] = new SpdyTestClient(send);
    return client[0];
  }

  /**
   * Sends {@code request} on a new TLS connection, reads the answer's head into {@code answer[0]}
   * and then hands every byte received to {@code in}; returns how to send bytes.
   */
  private java.util.function.Consumer<byte[]> upgrade(
      String request, String[] answer, java.util.function.Consumer<byte[]> in) throws Exception {
    SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port);
    OutputStream out = s.getOutputStream();
    out.write(request.getBytes(StandardCharsets.UTF_8));
    out.flush();
    InputStream from = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = from.read();
      assertThat(c).isNotEqualTo(-1);
      head.append((char) c);
    }
    answer[0] = head.toString();
    Thread.ofVirtual()
        .start(
            () -> {
              byte[] buf = new byte[16384];
              try (s) {
                int n;
                while ((n = from.read(buf)) != -1) {
                  in.accept(java.util.Arrays.copyOf(buf, n));
                }
              } catch (java.io.IOException e) {
                // The server closed the connection.
              }
            });
    return b -> {
      try {
        synchronized (out) {
          out.write(b);
          out.flush();
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
  }

  @Test
  void execOverSpdyWritesTheStatusToTheErrorStream() throws Exception {
    awaitRunning("shell");
    String[] head = new String[1];
    SpdyTestClient c =
        spdy(
            "/exec/default/shell/main?stdout=1&stderr=1" + cmd("sh", "-c", "echo spdy; exit 2"),
            "v4.channel.k8s.io",
            head);
    assertThat(head[0]).startsWith("HTTP/1.1 101").contains("v4.channel.k8s.io");
    int error = c.open(Map.of("streamtype", "error"));
    int stdout = c.open(Map.of("streamtype", "stdout"));
    c.open(Map.of("streamtype", "stderr"));
    await().atMost(WAIT).until(() -> c.finished(error) && c.finished(stdout));
    assertThat(c.data(stdout)).isEqualTo("spdy\n");
    JsonNode status = Statuses.JSON.readTree(c.data(error));
    assertThat(status.path("reason").asText()).isEqualTo("NonZeroExitCode");
    assertThat(status.path("details").path("causes").get(0).path("message").asText())
        .isEqualTo("2");
  }

  private static final byte[] HTTP_GET =
      "GET /index.html HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.UTF_8);

  @Test
  void portForwardOverSpdyReachesTheServerInThePod() throws Exception {
    awaitRunning("web");
    String[] head = new String[1];
    SpdyTestClient c = spdy("/portForward/default/web", "portforward.k8s.io", head);
    assertThat(head[0]).startsWith("HTTP/1.1 101").contains("portforward.k8s.io");
    await().atMost(WAIT).until(() -> fetch(c, 0).contains("hello through the tunnel"));
  }

  @Test
  void portForwardOverWebSocketTunnelledSpdyReachesTheServerInThePod() throws Exception {
    awaitRunning("web");
    // The JDK's WebSocket client refuses "/" in a subprotocol: frames are made with Netty's codec.
    io.netty.channel.embedded.EmbeddedChannel ws =
        new io.netty.channel.embedded.EmbeddedChannel(
            new io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder(true),
            new io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder(
                false, true, 1 << 24));
    SpdyTestClient[] client = new SpdyTestClient[1];
    String[] head = new String[1];
    java.util.function.Consumer<byte[]> send =
        upgrade(
            "GET /portForward/default/web HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n"
                + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io\r\n\r\n",
            head,
            b -> {
              List<byte[]> payloads = new java.util.ArrayList<>();
              synchronized (ws) {
                ws.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(b));
                Object f;
                while ((f = ws.readInbound()) != null) {
                  var frame = (io.netty.handler.codec.http.websocketx.WebSocketFrame) f;
                  byte[] p = new byte[frame.content().readableBytes()];
                  frame.content().readBytes(p);
                  frame.release();
                  payloads.add(p);
                }
              }
              payloads.forEach(p -> client[0].received(p));
            });
    assertThat(head[0])
        .startsWith("HTTP/1.1 101")
        .containsIgnoringCase("sec-websocket-protocol: SPDY/3.1+portforward.k8s.io");
    client[0] =
        new SpdyTestClient(
            b -> {
              byte[] framed;
              synchronized (ws) {
                ws.writeOutbound(
                    new io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame(
                        io.netty.buffer.Unpooled.wrappedBuffer(b)));
                java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                io.netty.buffer.ByteBuf o;
                while ((o = ws.readOutbound()) != null) {
                  byte[] a = new byte[o.readableBytes()];
                  o.readBytes(a);
                  o.release();
                  all.writeBytes(a);
                }
                framed = all.toByteArray();
              }
              send.accept(framed);
            });
    await().atMost(WAIT).until(() -> fetch(client[0], 100).contains("hello through the tunnel"));
  }

  private int requests;

  /** One forwarded connection: an HTTP/1.0 GET, the whole answer once the server closes. */
  private String fetch(SpdyTestClient c, int base) {
    String id = Integer.toString(base + requests++);
    int error = c.open(Map.of("streamtype", "error", "port", "" + httpPort, "requestid", id));
    int data = c.open(Map.of("streamtype", "data", "port", "" + httpPort, "requestid", id));
    c.send(data, HTTP_GET, false);
    await().atMost(WAIT).until(() -> c.finished(data));
    return c.data(data) + c.data(error);
  }
}
