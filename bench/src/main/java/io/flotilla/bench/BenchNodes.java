package io.flotilla.bench;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Registers benchmark nodes as a node agent would: POST of the Node, then a merge patch of
 * nodes/{name}/status with capacity and allocatable (32 cpu, 256Gi, 110 pods) and Ready=True. Nodes
 * are {@code node-<i>} in ten zones.
 *
 * <p>Threading: {@link #register} blocks until every node is written or has failed.
 */
final class BenchNodes {
  private BenchNodes() {}

  static void register(
      ApiClients http, int nodes, int clients, Failures failures, AtomicLong progress)
      throws InterruptedException {
    AtomicLong next = new AtomicLong();
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < clients; c++) {
        int client = c;
        pool.submit(
            () -> {
              long i;
              while ((i = next.getAndIncrement()) < nodes) {
                String name = "node-" + i;
                try {
                  HttpResponse<String> r =
                      http.client(client)
                          .send(
                              http.post("/api/v1/nodes", nodeJson(name, "zone-" + (i % 10))),
                              HttpResponse.BodyHandlers.ofString());
                  if (r.statusCode() != 201) {
                    failures.record("create node", r);
                    continue;
                  }
                  HttpRequest patch =
                      http.request("/api/v1/nodes/" + name + "/status")
                          .header("Content-Type", "application/merge-patch+json")
                          .method("PATCH", HttpRequest.BodyPublishers.ofString(statusJson(now)))
                          .build();
                  r = http.client(client).send(patch, HttpResponse.BodyHandlers.ofString());
                  if (r.statusCode() != 200) {
                    failures.record("node status", r);
                  }
                } catch (IOException e) {
                  failures.record("register node", e);
                }
                progress.incrementAndGet();
              }
              return null;
            });
      }
    }
  }

  static String nodeJson(String name, String zone) {
    return ("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"%s\",\"labels\":"
            + "{\"kubernetes.io/hostname\":\"%s\",\"topology.kubernetes.io/zone\":\"%s\"}}}")
        .formatted(name, name, zone);
  }

  static String statusJson(String now) {
    String resources = "{\"cpu\":\"32\",\"memory\":\"256Gi\",\"pods\":\"110\"}";
    return ("{\"status\":{\"capacity\":%s,\"allocatable\":%s,\"conditions\":[{\"type\":\"Ready\","
            + "\"status\":\"True\",\"reason\":\"KubeletReady\",\"lastHeartbeatTime\":\"%s\","
            + "\"lastTransitionTime\":\"%s\"}]}}")
        .formatted(resources, resources, now, now);
  }
}
