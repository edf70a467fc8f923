package io.flotilla.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flotilla.apiserver.kubelet.KubeletClient;
import io.flotilla.apiserver.security.ClusterPki;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * pods/log, exec, attach and portforward through the apiserver to a kubelet across the network (a
 * {@link KubeletFixture} that requires the cluster CA's client certificates).
 */
class KubeletProxyTest {
  @TempDir Path tmp;
  private KubeletFixture kubelet;
  private TestCluster c;

  @BeforeEach
  void start() throws Exception {
    ClusterPki pki = ClusterPki.loadOrCreate(tmp.resolve("cluster"), List.of(), Clock.systemUTC());
    kubelet = new KubeletFixture(pki, tmp.resolve("kubelet"));
    c = new TestCluster(b -> b.kubeletClient(KubeletClient.create(pki.kubeletClient())));
    createNode(c, "n1", kubelet.port());
    createPod(c, "web", "n1", "", "app");
  }

  @AfterEach
  void stop() {
    c.close();
    kubelet.close();
  }

  @Test
  void withoutAKubeletClientPodStreamsAre503AndMetricsAreNotServed() throws Exception {
    try (TestCluster bare = new TestCluster()) {
      createPod(bare, "web", "", "", "app");

      var logs = bare.send("GET", "/api/v1/namespaces/default/pods/web/log", null);
      var metrics = bare.send("GET", "/apis/metrics.k8s.io/v1beta1/nodes", null);

      assertThat(logs.statusCode()).isEqualTo(503);
      assertThat(bare.json(logs).path("message").asText()).contains("no kubelet client");
      assertThat(metrics.statusCode()).isEqualTo(404);
      assertThat(bare.send("GET", "/apis", null).body()).doesNotContain("metrics.k8s.io");
    }
  }

  static void createNode(TestCluster c, String name, int port) throws Exception {
    String node =
        """
        {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":{"role":"worker"}},
         "status":{"addresses":[{"type":"Hostname","address":"no-such-host.invalid"},
                                {"type":"InternalIP","address":"127.0.0.1"}],
                   "daemonEndpoints":{"kubeletEndpoint":{"Port":%d}},
                   "capacity":{"cpu":"4","memory":"8Gi","pods":"110"},
                   "allocatable":{"cpu":"4","memory":"8Gi","pods":"110"},
                   "conditions":[{"type":"Ready","status":"True"}]}}
        """
            .formatted(name, port);
    assertThat(c.send("POST", "/api/v1/nodes", node).statusCode()).isEqualTo(201);
  }

  /** A pod bound to {@code node} (none when empty) with the named containers. */
  static void createPod(TestCluster c, String name, String node, String annotations, String... cs)
      throws Exception {
    StringBuilder containers = new StringBuilder();
    for (String n : cs) {
      containers.append(containers.isEmpty() ? "" : ",");
      containers.append("{\"name\":\"").append(n).append("\",\"image\":\"busybox\"}");
    }
    String pod =
        """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"app":"%s"},
         "annotations":{%s}},"spec":{%s"containers":[%s]}}
        """
            .formatted(
                name,
                name,
                annotations,
                node.isEmpty() ? "" : "\"nodeName\":\"" + node + "\",",
                containers);
    var r = c.send("POST", "/api/v1/namespaces/default/pods", pod);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  @Test
  void logsComeFromTheKubeletOfThePodsNodeWithTheApiserversClientCertificate() throws Exception {
    var r =
        c.send(
            "GET",
            "/api/v1/namespaces/default/pods/web/log?tailLines=5&timestamps=true",
            null,
            "Authorization",
            "Bearer not-for-kubelets");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("line 1\n");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
    KubeletFixture.Seen seen = kubelet.requests.getLast();
    assertThat(seen.uri()).isEqualTo("/containerLogs/default/web/app?timestamps=true&tailLines=5");
    assertThat(seen.clientSubject())
        .contains("CN=kube-apiserver-kubelet-client")
        .contains("O=system:masters");
    assertThat(seen.headers()).doesNotContainKey("Authorization");
    // The connection stays usable after a relayed response.
    assertThat(c.send("GET", "/api/v1/namespaces/default/pods/web", null).statusCode())
        .isEqualTo(200);
  }

  @Test
  void theFabric8ClientReadsLogsThroughTheRelay() throws Exception {
    try (var k =
        new io.fabric8.kubernetes.client.KubernetesClientBuilder()
            .withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder(
                        io.fabric8.kubernetes.client.Config.empty())
                    .withMasterUrl(c.url())
                    .withNamespace("default")
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build()) {
      String log = k.pods().withName("web").tailingLines(3).getLog();

      assertThat(log).isEqualTo("line 1\n");
      assertThat(kubelet.requests.getLast().uri())
          .isEqualTo("/containerLogs/default/web/app?tailLines=3");
    }
  }

  @Test
  void kubectlLogsPrintsWhatTheKubeletSends() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(KubectlFixture.installed(), "no kubectl");
    createPod(c, "two", "n1", "", "a", "b");
    kubelet.log.add("line 2");
    KubectlFixture kubectl =
        new KubectlFixture(java.nio.file.Files.createDirectories(tmp.resolve("home")), c.url());

    KubectlFixture.Result logs = kubectl.run("logs", "web", "--tail=10");
    String tailed = kubelet.requests.getLast().uri();
    KubectlFixture.Result named = kubectl.run("logs", "two", "-c", "b", "--timestamps");

    assertThat(logs.exit()).as(logs.err()).isZero();
    assertThat(logs.out()).isEqualTo("line 1\nline 2\n");
    assertThat(tailed).isEqualTo("/containerLogs/default/web/app?tailLines=10");
    assertThat(named.exit()).as(named.err()).isZero();
    assertThat(kubelet.requests.getLast().uri())
        .isEqualTo("/containerLogs/default/two/b?timestamps=true");
  }

  @Test
  void kubectlExecRunsOverTheSplicedWebSocket() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(KubectlFixture.installed(), "no kubectl");
    KubectlFixture kubectl =
        new KubectlFixture(java.nio.file.Files.createDirectories(tmp.resolve("home")), c.url());

    KubectlFixture.Result exec = kubectl.run("exec", "web", "--", "echo", "hi there");

    assertThat(exec.exit()).as(exec.err()).isZero();
    assertThat(exec.out()).isEqualTo("exec ran\n");
    KubeletFixture.Seen seen = kubelet.requests.getLast();
    assertThat(seen.uri())
        .startsWith("/exec/default/web/app?")
        .contains("command=echo&command=hi+there");
    assertThat(seen.headers().get("Upgrade")).isEqualToIgnoringCase("websocket");
  }

  @Test
  void followedLogsReachTheClientLineByLineWhileTheStreamIsOpen() throws Exception {
    HttpResponse<InputStream> r =
        c.http.send(
            HttpRequest.newBuilder(
                    URI.create(c.url() + "/api/v1/namespaces/default/pods/web/log?follow=true"))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(lines.readLine()).isEqualTo("line 1");
      await().atMost(Duration.ofSeconds(30)).until(() -> kubelet.followers() == 1);

      kubelet.emit("line 2");
      assertThat(lines.readLine()).isEqualTo("line 2");
      kubelet.emit("line 3");
      assertThat(lines.readLine()).isEqualTo("line 3");
      kubelet.endLogs();
      assertThat(lines.readLine()).isNull();
    }
  }

  @Test
  void closingAFollowedLogClosesTheKubeletStream() throws Exception {
    HttpResponse<InputStream> r =
        c.http.send(
            HttpRequest.newBuilder(
                    URI.create(c.url() + "/api/v1/namespaces/default/pods/web/log?follow=1"))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    r.body().read();
    await().atMost(Duration.ofSeconds(30)).until(() -> kubelet.followers() == 1);

    r.body().close();

    await().atMost(Duration.ofSeconds(30)).until(() -> kubelet.followers() == 0);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "negative tailLines | log?tailLines=-1 | 422 | tailLines: Invalid value: -1: must be"
            + " greater than or equal to 0",
        "sinceSeconds zero | log?sinceSeconds=0 | 422 | sinceSeconds: Invalid value: 0: must be"
            + " greater than 0",
        "both since forms | log?sinceSeconds=5&sinceTime=2026-01-02T15:04:05Z | 422 | at most one"
            + " of `sinceTime` or `sinceSeconds` may be specified",
        "limitBytes zero | log?limitBytes=0 | 422 | limitBytes: Invalid value: 0: must be greater"
            + " than 0",
        "unknown container | log?container=nope | 400 | container nope is not valid for pod web",
        "kubelet error passes through | log?container=missing | 404 | container not found",
        "exec without upgrade | exec?command=sh&stdin=true | 400 | Upgrade request required",
        "exec without command | exec?stdin=true | 400 | you must specify at least 1 command",
      })
  void badCallsGetUpstreamsAnswers(String name, String call, int code, String message)
      throws Exception {
    String pod = "web";
    if (call.contains("missing")) {
      pod = "multi";
      createPod(c, pod, "n1", "", "app", "missing");
    }
    var r = c.send("GET", "/api/v1/namespaces/default/pods/" + pod + "/" + call, null);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(code);
    assertThat(r.body()).contains(message);
  }

  @Test
  void theContainerDefaultsToTheAnnotatedOneElseAMultiContainerPodNeedsOne() throws Exception {
    createPod(c, "two", "n1", "", "a", "b");
    createPod(c, "marked", "n1", "\"kubectl.kubernetes.io/default-container\":\"b\"", "a", "b");

    var two = c.send("GET", "/api/v1/namespaces/default/pods/two/log", null);
    var marked = c.send("GET", "/api/v1/namespaces/default/pods/marked/log", null);

    assertThat(two.statusCode()).isEqualTo(400);
    assertThat(c.json(two).path("message").asText())
        .isEqualTo("a container name must be specified for pod two, choose one of: [a b]");
    assertThat(marked.statusCode()).isEqualTo(200);
    assertThat(kubelet.requests.getLast().uri()).isEqualTo("/containerLogs/default/marked/b");
  }

  @Test
  void aPodWithoutANodeHasEmptyLogsAndCannotExec() throws Exception {
    createPod(c, "pending", "", "", "app");

    var logs = c.send("GET", "/api/v1/namespaces/default/pods/pending/log", null);
    String exec =
        rawExchange(
            "POST /api/v1/namespaces/default/pods/pending/exec?command=sh HTTP/1.1\r\n"
                + "Host: apiserver\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                + "Content-Length: 0\r\n\r\n");
    var missing = c.send("GET", "/api/v1/namespaces/default/pods/gone/log", null);

    assertThat(logs.statusCode()).isEqualTo(200);
    assertThat(logs.body()).isEmpty();
    assertThat(exec)
        .startsWith("HTTP/1.1 400")
        .contains("\"message\":\"pod pending does not have a host assigned\"");
    assertThat(missing.statusCode()).isEqualTo(404);
  }

  @Test
  void anUnreachableKubeletGivesAStatusNamingTheNode() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    createNode(c, "gone-node", closedPort);
    createPod(c, "stranded", "gone-node", "", "app");

    var r = c.send("GET", "/api/v1/namespaces/default/pods/stranded/log", null);

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(c.json(r).path("message").asText())
        .contains("node \"gone-node\"")
        .contains("/containerLogs/default/stranded/app");
  }

  @ParameterizedTest(name = "{0} {1} over {2}")
  @CsvSource({
    "POST, exec?command=sh&command=-c&stdin=true&stdout=true&tty=true, SPDY/3.1,"
        + " /exec/default/web/app?stdin=1&stdout=1&tty=1&command=sh&command=-c",
    "GET, exec?command=ls&stdout=true&stderr=true, websocket,"
        + " /exec/default/web/app?stdout=1&stderr=1&command=ls",
    "POST, attach?stdin=true&stdout=true, SPDY/3.1, /attach/default/web/app?stdin=1&stdout=1",
    "POST, portforward, SPDY/3.1, /portForward/default/web",
    "GET, portforward?ports=8080, websocket, /portForward/default/web?port=8080",
  })
  void upgradeRequestsAreSplicedToTheKubeletBothWays(
      String method, String call, String upgrade, String kubeletUri) throws Exception {
    try (Socket s = new Socket("127.0.0.1", c.server.port())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      String body = method.equals("POST") ? "Content-Length: 0\r\n" : "";
      out.write(
          (method
                  + " /api/v1/namespaces/default/pods/web/"
                  + call
                  + " HTTP/1.1\r\nHost: apiserver\r\nConnection: Upgrade\r\nUpgrade: "
                  + upgrade
                  + "\r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n"
                  + "Authorization: Bearer secret\r\n"
                  + body
                  + "\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      String head = readHead(in);
      assertThat(head).startsWith("HTTP/1.1 101").contains("Upgrade: " + upgrade);

      for (String msg : List.of("ping", "a longer second message")) {
        out.write(msg.getBytes(StandardCharsets.UTF_8));
        out.flush();
        assertThat(new String(in.readNBytes(msg.length()), StandardCharsets.UTF_8)).isEqualTo(msg);
      }
    }
    KubeletFixture.Seen seen = kubelet.requests.getLast();
    assertThat(seen.method()).isEqualTo(method);
    assertThat(seen.uri()).isEqualTo(kubeletUri);
    assertThat(seen.headers())
        .doesNotContainKey("Authorization")
        .containsEntry("Host", "127.0.0.1:" + kubelet.port())
        .containsEntry("X-Stream-Protocol-Version", "v4.channel.k8s.io");
  }

  /** Sends one request over a socket and reads the response head and its Content-Length body. */
  private String rawExchange(String request) throws java.io.IOException {
    try (Socket s = new Socket("127.0.0.1", c.server.port())) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = s.getInputStream();
      String head = readHead(in);
      int length = 0;
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).strip());
        }
      }
      return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
  }

  private static String readHead(InputStream in) throws java.io.IOException {
    StringBuilder sb = new StringBuilder();
    while (!sb.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      sb.append((char) b);
    }
    return sb.toString();
  }
}
