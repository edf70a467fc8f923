package io.flotilla.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.apiserver.services.ServiceAllocator;
import io.flotilla.apiserver.services.ServiceCidr;
import io.flotilla.store.KeyValue;
import io.flotilla.store.RangeRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cluster IPs and node ports of Services through the REST API, on one in-process server. */
class ServiceAllocationTest {
  static final String SERVICES = "/api/v1/namespaces/default/services";
  static TestCluster c;

  @BeforeAll
  static void start() throws Exception {
    c = new TestCluster();
  }

  @AfterAll
  static void stop() {
    c.close();
  }

  static String service(String name, String spec) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\""
        + name
        + "\"},\"spec\":"
        + spec
        + "}";
  }

  static String clusterIp(String name, String ip) {
    return service(
        name,
        "{\"clusterIP\":\"" + ip + "\",\"selector\":{\"app\":\"a\"},\"ports\":[{\"port\":80}]}");
  }

  static String nodePort(String name, long nodePort) {
    return service(
        name,
        "{\"type\":\"NodePort\",\"ports\":[{\"port\":80"
            + (nodePort == 0 ? "" : ",\"nodePort\":" + nodePort)
            + "}]}");
  }

  static String plain(String name) {
    return service(name, "{\"ports\":[{\"port\":80}]}");
  }

  static JsonNode create(String body) throws Exception {
    HttpResponse<String> r = c.send("POST", SERVICES, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return c.json(r);
  }

  static boolean held(String prefix, String item) {
    return c.store.get(prefix + item).join() != null;
  }

  static HttpResponse<String> patch(String name, String mergePatch) throws Exception {
    return c.send(
        "PATCH", SERVICES + "/" + name, mergePatch, "Content-Type", "application/merge-patch+json");
  }

  @Test
  void fiftyConcurrentCreatesGetFiftyDistinctAddressesInTheRange() {
    ServiceCidr cidr = ServiceCidr.parse("10.96.0.0/12");
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(c.url() + SERVICES))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(plain("many-" + i)))
              .build();
      all.add(c.http.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
    }
    Set<String> ips = new HashSet<>();
    for (CompletableFuture<HttpResponse<String>> f : all) {
      HttpResponse<String> r = f.join();
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      JsonNode spec = TestCluster.JSON.valueToTree(parse(r.body())).path("spec");
      String ip = spec.path("clusterIP").asText();
      assertThat(cidr.contains(ip)).as(ip).isTrue();
      assertThat(ip).isNotEqualTo("10.96.0.1");
      assertThat(spec.path("clusterIPs").get(0).asText()).isEqualTo(ip);
      assertThat(spec.path("ipFamilies").toString()).isEqualTo("[\"IPv4\"]");
      assertThat(spec.path("ipFamilyPolicy").asText()).isEqualTo("SingleStack");
      assertThat(held(ServiceAllocator.IP_PREFIX, ip)).as(ip + " recorded").isTrue();
      ips.add(ip);
    }
    assertThat(ips).hasSize(50);
  }

  private static JsonNode parse(String body) {
    try {
      return TestCluster.JSON.readTree(body);
    } catch (Exception e) {
      throw new AssertionError(body, e);
    }
  }

  @Test
  void aRequestedAddressIsHonoredOnceAndADuplicateIsRejected() throws Exception {
    JsonNode made = create(clusterIp("dns", "10.96.0.10"));
    assertThat(made.path("spec").path("clusterIP").asText()).isEqualTo("10.96.0.10");
    assertThat(made.path("spec").path("clusterIPs").toString()).isEqualTo("[\"10.96.0.10\"]");

    HttpResponse<String> dup = c.send("POST", SERVICES, clusterIp("dns-2", "10.96.0.10"));
    assertThat(dup.statusCode()).isEqualTo(422);
    assertThat(c.json(dup).path("message").asText())
        .contains("spec.clusterIPs[0]: Invalid value: \"10.96.0.10\"")
        .contains("provided IP is already allocated");
    assertThat(c.send("GET", SERVICES + "/dns-2", null).statusCode()).isEqualTo(404);
  }

  @Test
  void theKubernetesServicesAddressCannotBeRequested() throws Exception {
    HttpResponse<String> r = c.send("POST", SERVICES, clusterIp("steal", "10.96.0.1"));
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(r.body()).contains("provided IP is already allocated");
  }

  @Test
  void anAddressOutsideTheRangeIsRejected() throws Exception {
    HttpResponse<String> r = c.send("POST", SERVICES, clusterIp("outside", "10.0.0.10"));
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(c.json(r).path("message").asText())
        .contains("spec.clusterIPs[0]: Invalid value: \"10.0.0.10\"")
        .contains("provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12");
    assertThat(held(ServiceAllocator.IP_PREFIX, "10.0.0.10")).isFalse();
  }

  @Test
  void headlessAndExternalNameServicesGetNoAddress() throws Exception {
    JsonNode headless = create(clusterIp("headless", "None"));
    assertThat(headless.path("spec").path("clusterIP").asText()).isEqualTo("None");
    assertThat(headless.path("spec").path("clusterIPs").toString()).isEqualTo("[\"None\"]");
    JsonNode external =
        create(service("ext", "{\"type\":\"ExternalName\",\"externalName\":\"example.com\"}"));
    assertThat(external.path("spec").has("clusterIP")).isFalse();
    assertThat(external.path("spec").has("clusterIPs")).isFalse();
  }

  @Test
  void aNodePortServiceGetsAPortInTheRangeAndTheTableShowsIt() throws Exception {
    JsonNode made = create(nodePort("np", 0));
    long port = made.path("spec").path("ports").get(0).path("nodePort").asLong();
    assertThat(port).isBetween(30000L, 32767L);
    assertThat(held(ServiceAllocator.PORT_PREFIX, Long.toString(port))).isTrue();
    assertThat(made.path("spec").path("clusterIP").asText()).startsWith("10.");

    HttpResponse<String> table =
        c.send(
            "GET",
            SERVICES + "/np",
            null,
            "Accept",
            "application/json;as=Table;v=v1;g=meta.k8s.io");
    assertThat(table.body()).contains("80:" + port + "/TCP");
  }

  @Test
  void randomNodePortsAndClusterIpsStayOutOfTheStaticBand() throws Exception {
    // As upstream: 30000-32767 keeps its first 86 ports, a /12 its first 256 addresses, for
    // users who pick their own, while the rest of the range has room.
    for (int i = 0; i < 40; i++) {
      JsonNode made = create(nodePort("band-" + i, 0));
      assertThat(made.path("spec").path("ports").get(0).path("nodePort").asLong())
          .isBetween(30086L, 32767L);
      String ip = made.path("spec").path("clusterIP").asText();
      assertThat(ServiceCidr.parse("10.96.0.0/12").offsetOf(ip)).isGreaterThanOrEqualTo(256);
    }
  }

  @Test
  void aRequestedNodePortIsHonoredOnceAndOutOfRangeIsRejected() throws Exception {
    JsonNode made = create(nodePort("np-fixed", 30080));
    assertThat(made.path("spec").path("ports").get(0).path("nodePort").asLong()).isEqualTo(30080);

    HttpResponse<String> dup = c.send("POST", SERVICES, nodePort("np-dup", 30080));
    assertThat(dup.statusCode()).isEqualTo(422);
    assertThat(c.json(dup).path("message").asText())
        .contains(
            "spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated");

    HttpResponse<String> low = c.send("POST", SERVICES, nodePort("np-low", 8080));
    assertThat(low.statusCode()).isEqualTo(422);
    assertThat(low.body())
        .contains(
            "provided port is not in the valid range. The range of valid ports is 30000-32767");
  }

  @Test
  void aFailedWriteGivesBackWhatWasAllocated() throws Exception {
    create(clusterIp("taken-name", "10.96.0.20"));
    HttpResponse<String> again =
        c.send(
            "POST",
            SERVICES,
            service(
                "taken-name",
                "{\"clusterIP\":\"10.96.0.21\",\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":30101}]}"));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(held(ServiceAllocator.IP_PREFIX, "10.96.0.21")).isFalse();
    assertThat(held(ServiceAllocator.PORT_PREFIX, "30101")).isFalse();
  }

  @Test
  void aDryRunAllocatesNothing() throws Exception {
    HttpResponse<String> r =
        c.send(
            "POST",
            SERVICES + "?dryRun=All",
            nodePort("dry", 30052).replace("\"type\"", "\"clusterIP\":\"10.96.0.22\",\"type\""));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(held(ServiceAllocator.IP_PREFIX, "10.96.0.22")).isFalse();
    assertThat(held(ServiceAllocator.PORT_PREFIX, "30052")).isFalse();
    create(clusterIp("dns-dry", "10.96.0.23"));
    HttpResponse<String> clash =
        c.send("POST", SERVICES + "?dryRun=All", clusterIp("dns-dry-2", "10.96.0.23"));
    assertThat(clash.statusCode()).isEqualTo(422);
  }

  @Test
  void deletingGivesTheAddressAndPortBack() throws Exception {
    String body =
        service(
            "short-lived",
            "{\"clusterIP\":\"10.96.0.30\",\"type\":\"NodePort\",\"ports\":[{\"port\":80,\"nodePort\":30300}]}");
    create(body);
    assertThat(c.send("DELETE", SERVICES + "/short-lived", null).statusCode()).isEqualTo(200);
    assertThat(held(ServiceAllocator.IP_PREFIX, "10.96.0.30")).isFalse();
    assertThat(held(ServiceAllocator.PORT_PREFIX, "30300")).isFalse();
    create(body.replace("short-lived", "reborn"));
  }

  @Test
  void aServiceWithAFinalizerKeepsItsAddressUntilItIsRemoved() throws Exception {
    create(
        clusterIp("held", "10.96.0.31")
            .replace("\"name\":\"held\"", "\"name\":\"held\",\"finalizers\":[\"example.com/x\"]"));
    assertThat(c.send("DELETE", SERVICES + "/held", null).statusCode()).isEqualTo(200);
    assertThat(held(ServiceAllocator.IP_PREFIX, "10.96.0.31")).isTrue();
    HttpResponse<String> cleared = patch("held", "{\"metadata\":{\"finalizers\":null}}");
    assertThat(cleared.statusCode()).as(cleared.body()).isEqualTo(200);
    assertThat(c.send("GET", SERVICES + "/held", null).statusCode()).isEqualTo(404);
    assertThat(held(ServiceAllocator.IP_PREFIX, "10.96.0.31")).isFalse();
  }

  @Test
  void changingTheTypeAllocatesAndReleasesNodePorts() throws Exception {
    JsonNode made = create(plain("switch"));
    String ip = made.path("spec").path("clusterIP").asText();

    HttpResponse<String> toNodePort = patch("switch", "{\"spec\":{\"type\":\"NodePort\"}}");
    assertThat(toNodePort.statusCode()).as(toNodePort.body()).isEqualTo(200);
    JsonNode np = c.json(toNodePort);
    long port = np.path("spec").path("ports").get(0).path("nodePort").asLong();
    assertThat(port).isBetween(30000L, 32767L);
    assertThat(np.path("spec").path("clusterIP").asText()).isEqualTo(ip);
    assertThat(held(ServiceAllocator.PORT_PREFIX, Long.toString(port))).isTrue();

    HttpResponse<String> back = patch("switch", "{\"spec\":{\"type\":\"ClusterIP\"}}");
    assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
    assertThat(c.json(back).path("spec").path("ports").get(0).has("nodePort")).isFalse();
    assertThat(held(ServiceAllocator.PORT_PREFIX, Long.toString(port))).isFalse();
    assertThat(held(ServiceAllocator.IP_PREFIX, ip)).isTrue();
  }

  @Test
  void addingAndRemovingPortsAllocatesAndReleases() throws Exception {
    JsonNode made = create(nodePort("ports", 30040));
    assertThat(made.path("spec").path("ports").size()).isEqualTo(1);
    HttpResponse<String> two =
        patch(
            "ports",
            "{\"spec\":{\"ports\":[{\"name\":\"a\",\"port\":80,\"nodePort\":30040},{\"name\":\"b\",\"port\":81}]}}");
    assertThat(two.statusCode()).as(two.body()).isEqualTo(200);
    long second = c.json(two).path("spec").path("ports").get(1).path("nodePort").asLong();
    assertThat(second).isBetween(30000L, 32767L).isNotEqualTo(30040L);
    assertThat(held(ServiceAllocator.PORT_PREFIX, Long.toString(second))).isTrue();

    HttpResponse<String> one =
        patch(
            "ports",
            "{\"spec\":{\"ports\":[{\"name\":\"b\",\"port\":81,\"nodePort\":" + second + "}]}}");
    assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
    assertThat(held(ServiceAllocator.PORT_PREFIX, "30040")).isFalse();
    assertThat(held(ServiceAllocator.PORT_PREFIX, Long.toString(second))).isTrue();
  }

  @Test
  void theClusterIpCannotChangeButAReappliedManifestKeepsIt() throws Exception {
    JsonNode made = create(plain("fixed"));
    String ip = made.path("spec").path("clusterIP").asText();
    HttpResponse<String> change =
        patch("fixed", "{\"spec\":{\"clusterIP\":\"10.96.0.40\",\"clusterIPs\":[\"10.96.0.40\"]}}");
    assertThat(change.statusCode()).isEqualTo(422);
    assertThat(change.body()).contains("may not change once set");
    assertThat(held(ServiceAllocator.IP_PREFIX, "10.96.0.40")).isFalse();

    HttpResponse<String> put =
        c.send(
            "PUT",
            SERVICES + "/fixed",
            plain("fixed").replace("{\"ports\"", "{\"selector\":{\"app\":\"b\"},\"ports\""));
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(c.json(put).path("spec").path("clusterIP").asText()).isEqualTo(ip);
  }

  @Test
  void theKubernetesServicePointsAtThisServer() throws Exception {
    HttpResponse<String> svc = c.send("GET", SERVICES + "/kubernetes", null);
    assertThat(svc.statusCode()).isEqualTo(200);
    JsonNode spec = c.json(svc).path("spec");
    assertThat(spec.path("clusterIP").asText()).isEqualTo("10.96.0.1");
    assertThat(spec.path("ports").get(0).path("port").asInt()).isEqualTo(443);
    assertThat(spec.path("ports").get(0).path("targetPort").asInt()).isEqualTo(c.server.port());
    assertThat(spec.has("selector")).isFalse();
    JsonNode ep = c.json(c.send("GET", "/api/v1/namespaces/default/endpoints/kubernetes", null));
    JsonNode subset = ep.path("subsets").get(0);
    assertThat(subset.path("addresses").get(0).path("ip").asText()).isEqualTo("127.0.0.1");
    assertThat(subset.path("ports").get(0).path("port").asInt()).isEqualTo(c.server.port());
    KeyValue kv = c.store.get(ServiceAllocator.IP_PREFIX + "10.96.0.1").join();
    assertThat(kv.valueAsString()).contains("\"name\":\"kubernetes\"");
  }

  @Test
  void allocationsAreKeptOneKeyPerItem() {
    List<KeyValue> kvs =
        c.store.range(RangeRequest.prefix(ServiceAllocator.IP_PREFIX)).join().kvs();
    assertThat(kvs).isNotEmpty();
    assertThat(kvs.getFirst().valueAsString()).contains("\"uid\"").contains("\"allocatedAt\"");
  }

  @Test
  void becomingAnExternalNameGivesTheAddressBackAndALoadBalancerGetsNodePorts() throws Exception {
    JsonNode made = create(nodePort("lb", 0).replace("\"NodePort\"", "\"LoadBalancer\""));
    String ip = made.path("spec").path("clusterIP").asText();
    long port = made.path("spec").path("ports").get(0).path("nodePort").asLong();
    assertThat(port).isBetween(30000L, 32767L);

    HttpResponse<String> ext =
        patch("lb", "{\"spec\":{\"type\":\"ExternalName\",\"externalName\":\"example.com\"}}");
    assertThat(ext.statusCode()).as(ext.body()).isEqualTo(200);
    assertThat(c.json(ext).path("spec").has("clusterIP")).isFalse();
    assertThat(held(ServiceAllocator.IP_PREFIX, ip)).isFalse();
    assertThat(held(ServiceAllocator.PORT_PREFIX, Long.toString(port))).isFalse();
  }
}
