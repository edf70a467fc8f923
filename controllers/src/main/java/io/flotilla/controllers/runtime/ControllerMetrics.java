package io.flotilla.controllers.runtime;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Per-controller Prometheus metrics, named as upstream's work queue and controller-runtime metrics:
 * {@code workqueue_depth}, {@code workqueue_adds_total}, {@code workqueue_retries_total} (label
 * {@code name}), {@code controller_runtime_reconcile_total} (labels {@code controller}, {@code
 * result}), {@code controller_runtime_reconcile_errors_total} and {@code
 * controller_runtime_reconcile_time_seconds} (label {@code controller}). One instance per registry;
 * thread-safe (the Prometheus client's metrics are).
 */
public final class ControllerMetrics {
  private final PrometheusRegistry registry;
  private final Gauge depth;
  private final Counter adds;
  private final Counter retries;
  private final Counter reconciles;
  private final Counter errors;
  private final Histogram latency;

  public ControllerMetrics(PrometheusRegistry registry) {
    this.registry = registry;
    depth =
        Gauge.builder()
            .name("workqueue_depth")
            .help("Current depth of the work queue.")
            .labelNames("name")
            .register(registry);
    adds =
        Counter.builder()
            .name("workqueue_adds_total")
            .help("Total number of adds handled by the work queue.")
            .labelNames("name")
            .register(registry);
    retries =
        Counter.builder()
            .name("workqueue_retries_total")
            .help("Total number of retries handled by the work queue.")
            .labelNames("name")
            .register(registry);
    reconciles =
        Counter.builder()
            .name("controller_runtime_reconcile_total")
            .help("Total number of reconciliations per controller and result.")
            .labelNames("controller", "result")
            .register(registry);
    errors =
        Counter.builder()
            .name("controller_runtime_reconcile_errors_total")
            .help("Total number of reconciliation errors per controller.")
            .labelNames("controller")
            .register(registry);
    latency =
        Histogram.builder()
            .name("controller_runtime_reconcile_time_seconds")
            .help("Length of time per reconciliation per controller.")
            .labelNames("controller")
            .classicUpperBounds(
                0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7,
                0.8, 0.9, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25,
                30, 40, 50, 60)
            .classicOnly()
            .register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** The queue listener that feeds {@code name}'s work-queue metrics. */
  public WorkQueue.Listener<String> queueListener(String name) {
    // Present from the start, so a scrape shows every controller even before its first item.
    depth.labelValues(name).set(0);
    adds.labelValues(name);
    retries.labelValues(name);
    errors.labelValues(name);
    return new WorkQueue.Listener<>() {
      @Override
      public void added(String item) {
        adds.labelValues(name).inc();
      }

      @Override
      public void depth(int d) {
        depth.labelValues(name).set(d);
      }

      @Override
      public void retried(String item) {
        retries.labelValues(name).inc();
      }
    };
  }

  /** Records one reconcile of {@code controller}: its outcome and how long it took. */
  public void reconciled(String controller, String result, long nanos) {
    reconciles.labelValues(controller, result).inc();
    if (result.equals("error")) {
      errors.labelValues(controller).inc();
    }
    latency.labelValues(controller).observe(nanos / 1e9);
  }

  /** Every metric in the registry in the Prometheus text format (version 0.0.4). */
  public byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
