package io.flotilla.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flotilla.api.ResourceType;
import io.flotilla.apiserver.registry.ObjectCodec;
import io.flotilla.apiserver.services.AllocationRepair;
import io.flotilla.apiserver.services.ServiceAllocator;
import io.flotilla.store.Txn;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Allocations outlive an apiserver and hold across two apiservers on one store; the start-up repair
 * pass frees leaks and records what stored Services use.
 */
class ServiceAllocationRestartTest {
  static final String SERVICES = "/api/v1/namespaces/default/services";
  static final String SMALL = "10.0.0.0/29";

  static ApiServer second(TestCluster c, String cidr) throws InterruptedException {
    return ApiServer.builder()
        .store(c.store)
        .registry(c.registry)
        .workerThreads(1)
        .serviceCidr(cidr)
        .allocationRepair(Duration.ofSeconds(30), Duration.ZERO)
        .build()
        .start();
  }

  static HttpResponse<String> post(TestCluster c, ApiServer server, String body) {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + SERVICES))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return c.http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).join();
  }

  @Test
  void twoApiserversOnOneStoreNeverHandOutTheSameAddress() throws Exception {
    // A /29 leaves five addresses to hand out: network, kubernetes and broadcast are not.
    try (TestCluster c = new TestCluster(b -> b.serviceCidr(SMALL));
        ApiServer other = second(c, SMALL)) {
      List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        ApiServer target = i % 2 == 0 ? c.server : other;
        String body = ServiceAllocationTest.plain("s" + i);
        all.add(CompletableFuture.supplyAsync(() -> post(c, target, body)));
      }
      Set<String> ips = new HashSet<>();
      for (var f : all) {
        HttpResponse<String> r = f.join();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        ips.add(c.json(r).path("spec").path("clusterIP").asText());
      }
      assertThat(ips)
          .containsExactlyInAnyOrder("10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6");

      HttpResponse<String> full = post(c, other, ServiceAllocationTest.plain("s5"));
      assertThat(full.statusCode()).isEqualTo(500);
      assertThat(full.body()).contains("failed to allocate a serviceIP: range is full");
    }
  }

  @Test
  void aNewApiserverOnTheSameStoreKeepsEarlierAllocations() throws Exception {
    try (TestCluster c = new TestCluster(b -> b.serviceCidr(SMALL))) {
      for (int i = 0; i < 5; i++) {
        assertThat(post(c, c.server, ServiceAllocationTest.plain("k" + i)).statusCode())
            .isEqualTo(201);
      }
      // A fresh apiserver on the same store knows only what the store holds.
      try (ApiServer restarted = second(c, SMALL)) {
        assertThat(post(c, restarted, ServiceAllocationTest.plain("k5")).statusCode())
            .isEqualTo(500);
        HttpResponse<String> got =
            c.http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + restarted.port() + SERVICES + "/k3"))
                    .DELETE()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(got.statusCode()).isEqualTo(200);
        String freed = c.json(got).path("spec").path("clusterIP").asText();
        HttpResponse<String> again = post(c, restarted, ServiceAllocationTest.plain("k6"));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
        assertThat(c.json(again).path("spec").path("clusterIP").asText()).isEqualTo(freed);
      }
    }
  }

  static void putOwner(TestCluster c, String key, String uid, Instant at) {
    String owner =
        "{\"namespace\":\"default\",\"name\":\"ghost\",\"uid\":\""
            + uid
            + "\",\"allocatedAt\":\""
            + at
            + "\"}";
    c.store.txn(Txn.put(key, owner.getBytes(StandardCharsets.UTF_8))).join();
  }

  @Test
  void theStartupRepairFreesOldLeaksKeepsYoungOnesAndRecordsWhatServicesUse() throws Exception {
    try (TestCluster c = new TestCluster()) {
      Instant longAgo = Instant.parse("2020-01-01T00:00:00Z");
      putOwner(c, ServiceAllocator.IP_PREFIX + "10.96.9.9", "gone", longAgo);
      putOwner(c, ServiceAllocator.PORT_PREFIX + "31999", "gone", longAgo);
      putOwner(c, ServiceAllocator.IP_PREFIX + "10.96.9.10", "on-its-way", Instant.now());
      ResourceType services = c.registry.byResource("", "v1", "services").orElseThrow();
      String direct =
          "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"direct\","
              + "\"namespace\":\"default\",\"uid\":\"direct-uid\"},\"spec\":{\"type\":\"NodePort\","
              + "\"clusterIP\":\"10.96.9.11\",\"clusterIPs\":[\"10.96.9.11\"],"
              + "\"ports\":[{\"port\":80,\"nodePort\":31998}]}}";
      c.store
          .txn(
              Txn.create(
                  ObjectCodec.key(services, "default", "direct"),
                  direct.getBytes(StandardCharsets.UTF_8)))
          .join();

      try (ApiServer restarted = second(c, "10.96.0.0/12")) {
        assertThat(c.store.get(ServiceAllocator.IP_PREFIX + "10.96.9.9").join()).isNull();
        assertThat(c.store.get(ServiceAllocator.PORT_PREFIX + "31999").join()).isNull();
        assertThat(c.store.get(ServiceAllocator.IP_PREFIX + "10.96.9.10").join()).isNotNull();
        assertThat(c.store.get(ServiceAllocator.IP_PREFIX + "10.96.9.11").join().valueAsString())
            .contains("direct-uid");
        assertThat(c.store.get(ServiceAllocator.PORT_PREFIX + "31998").join()).isNotNull();

        AllocationRepair.Result again = restarted.services().repair().join();
        assertThat(again).isEqualTo(new AllocationRepair.Result(0, 0));
        HttpResponse<String> clash =
            post(
                c,
                restarted,
                ServiceAllocationTest.service(
                    "clash", "{\"clusterIP\":\"10.96.9.11\",\"ports\":[{\"port\":80}]}"));
        assertThat(clash.statusCode()).isEqualTo(422);
      }
    }
  }

  @Test
  void theRangesComeFromTheBuilder() throws Exception {
    try (TestCluster c =
        new TestCluster(b -> b.serviceCidr("172.20.0.0/16").nodePortRange("20000-20010"))) {
      JsonNode k = c.json(c.send("GET", SERVICES + "/kubernetes", null));
      assertThat(k.path("spec").path("clusterIP").asText()).isEqualTo("172.20.0.1");
      HttpResponse<String> np = c.send("POST", SERVICES, ServiceAllocationTest.nodePort("np", 0));
      assertThat(np.statusCode()).as(np.body()).isEqualTo(201);
      long random = c.json(np).path("spec").path("ports").get(0).path("nodePort").asLong();
      assertThat(random).isBetween(20000L, 20010L);
      assertThat(c.json(np).path("spec").path("clusterIP").asText()).startsWith("172.20.");
      // The first port was picked at random; ask for a fixed one that is certainly still free.
      int free = random == 20005 ? 20006 : 20005;
      HttpResponse<String> fixed =
          c.send("POST", SERVICES, ServiceAllocationTest.nodePort("np2", free));
      assertThat(fixed.statusCode()).as(fixed.body()).isEqualTo(201);
      HttpResponse<String> outside =
          c.send("POST", SERVICES, ServiceAllocationTest.nodePort("np3", 30080));
      assertThat(outside.statusCode()).isEqualTo(422);
      assertThat(outside.body()).contains("The range of valid ports is 20000-20010");
    }
  }
}
