package io.flotilla.controllers.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * What every controller is built from: the API client, the shared informers, the clock, the
 * metrics, and an event recorder per component. One context per leadership term of a {@link
 * ControllerManager} (or per test).
 */
public record ControllerContext(
    KubernetesClient client,
    SharedInformers informers,
    Clock clock,
    ControllerMetrics metrics,
    EventRecorders events) {

  /** Creates (or returns) the recorder that signs events with {@code component}. */
  public EventRecorder recorder(String component) {
    return events.recorder(component);
  }
}
