package io.flotilla.apiserver.http;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The apiserver's Prometheus metrics, named as upstream's: request counts and latencies by verb,
 * resource and code, open long-running requests, and store latency by operation. One registry per
 * server (no global state).
 */
public final class ApiMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final java.util.List<java.util.function.Supplier<byte[]>> included =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Counter requests =
      Counter.builder()
          .name("apiserver_request_total")
          .help(
              "Counter of apiserver requests broken out by verb, resource and HTTP response code.")
          .labelNames("verb", "resource", "code")
          .register(registry);
  private final Histogram durations =
      Histogram.builder()
          .name("apiserver_request_duration_seconds")
          .help("Response latency distribution in seconds for each verb and resource.")
          .labelNames("verb", "resource")
          .classicUpperBounds(
              0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.5, 2, 4, 6, 10, 30, 60)
          .classicOnly()
          .register(registry);
  private final Gauge longRunning =
      Gauge.builder()
          .name("apiserver_longrunning_requests")
          .help("Gauge of all active long-running apiserver requests (watches).")
          .labelNames("verb", "resource")
          .register(registry);
  private final Histogram storeLatency =
      Histogram.builder()
          .name("flotilla_store_request_duration_seconds")
          .help("Store request latency in seconds by operation.")
          .labelNames("operation")
          .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5)
          .classicOnly()
          .register(registry);

  public void request(String verb, String resource, int code, long nanos) {
    requests.labelValues(verb, resource, Integer.toString(code)).inc();
    durations.labelValues(verb, resource).observe(nanos / 1e9);
  }

  public void watchOpened(String resource) {
    longRunning.labelValues("WATCH", resource).inc();
  }

  public void watchClosed(String resource) {
    longRunning.labelValues("WATCH", resource).dec();
  }

  public void store(String operation, long nanos) {
    storeLatency.labelValues(operation).observe(nanos / 1e9);
  }

  /**
   * Adds the metrics of a component running in this process (the controllers, say) to what {@link
   * #scrape} serves: {@code source} gives them in the text format, with names of their own.
   */
  public void include(java.util.function.Supplier<byte[]> source) {
    included.add(source);
  }

  /** The metrics in the Prometheus text format (version 0.0.4). */
  public byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
      for (java.util.function.Supplier<byte[]> s : included) {
        out.write(s.get());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
