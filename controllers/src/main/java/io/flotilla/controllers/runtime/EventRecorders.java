package io.flotilla.controllers.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;

/** One {@link EventRecorder} per component, closed together. Thread-safe (monitor). */
public final class EventRecorders implements AutoCloseable {
  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, EventRecorder> recorders = new HashMap<>();

  public EventRecorders(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public synchronized EventRecorder recorder(String component) {
    return recorders.computeIfAbsent(component, c -> new EventRecorder(client, c, clock));
  }

  @Override
  public synchronized void close() {
    recorders.values().forEach(EventRecorder::close);
    recorders.clear();
  }
}
