package io.flotilla.controllers;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.flotilla.controllers.runtime.ControllerManager;
import io.flotilla.controllers.runtime.SystemClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The default controllers as one running component: a fabric8 client from a kubeconfig, a {@link
 * ControllerManager} (optionally under the leader Lease) and, when a port is given, an HTTP
 * endpoint with {@code /metrics} (Prometheus text) and {@code /healthz}. Close to stop all of it.
 */
public final class ControllerProcess implements AutoCloseable {
  private final KubernetesClient client;
  private final SystemClock clock;
  private final ControllerManager manager;
  private final HttpServer http;

  private ControllerProcess(
      KubernetesClient client, SystemClock clock, ControllerManager manager, HttpServer http) {
    this.client = client;
    this.clock = clock;
    this.manager = manager;
    this.http = http;
  }

  /**
   * Starts the controllers against the cluster {@code kubeconfig} names. {@code metricsPort} &lt; 0
   * serves no metrics; 0 picks a free port.
   */
  public static ControllerProcess start(
      Path kubeconfig, boolean leaderElect, String metricsHost, int metricsPort)
      throws IOException {
    String yaml;
    try {
      yaml = Files.readString(kubeconfig);
    } catch (IOException e) {
      throw new IOException("cannot read the kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
    }
    Config config = Config.fromKubeconfig(null, yaml, kubeconfig.toAbsolutePath().toString());
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    SystemClock clock = new SystemClock();
    ControllerManager manager =
        DefaultControllers.addTo(
                ControllerManager.builder(client).clock(clock).leaderElection(leaderElect))
            .build();
    HttpServer http = null;
    if (metricsPort >= 0) {
      http = HttpServer.create(new InetSocketAddress(metricsHost, metricsPort), 0);
      http.createContext(
          "/metrics",
          ex -> {
            byte[] body = manager.metrics().scrape();
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(body);
            }
          });
      http.createContext(
          "/healthz",
          ex -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(body);
            }
          });
      http.start();
    }
    manager.start();
    return new ControllerProcess(client, clock, manager, http);
  }

  public ControllerManager manager() {
    return manager;
  }

  /** The port /metrics is served on, or -1. */
  public int metricsPort() {
    return http == null ? -1 : http.getAddress().getPort();
  }

  @Override
  public void close() {
    manager.close();
    if (http != null) {
      http.stop(0);
    }
    clock.close();
    client.close();
  }
}
