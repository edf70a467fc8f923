package io.flotilla.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.HashMap;
import java.util.Map;

/**
 * Pods of one label as a watch sees them, state after state: the most that were active (neither
 * terminating nor finished) and the fewest of those Ready. Starts from a list and watches from its
 * resourceVersion, so every state in between is seen in order. Events arrive on the client's watch
 * thread; the counts are guarded by this object's monitor.
 */
final class PodCounts implements AutoCloseable {
  private final Map<String, Boolean> activeReady = new HashMap<>(); // name → ready, active only
  private int maxActive;
  private int minReady = Integer.MAX_VALUE;
  private Watch watch;

  static PodCounts watch(KubernetesClient client, String namespace, String key, String value) {
    PodCounts c = new PodCounts();
    PodList list = client.pods().inNamespace(namespace).withLabel(key, value).list();
    synchronized (c) {
      list.getItems().forEach(c::apply);
      c.record();
    }
    c.watch =
        client
            .pods()
            .inNamespace(namespace)
            .withLabel(key, value)
            .withResourceVersion(list.getMetadata().getResourceVersion())
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    synchronized (c) {
                      if (action == Action.DELETED) {
                        c.activeReady.remove(pod.getMetadata().getName());
                      } else {
                        c.apply(pod);
                      }
                      c.record();
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    return c;
  }

  private void apply(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    boolean active =
        p.getMetadata().getDeletionTimestamp() == null
            && !"Succeeded".equals(phase)
            && !"Failed".equals(phase);
    if (!active) {
      activeReady.remove(p.getMetadata().getName());
      return;
    }
    boolean ready =
        p.getStatus() != null
            && p.getStatus().getConditions() != null
            && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    activeReady.put(p.getMetadata().getName(), ready);
  }

  private void record() {
    maxActive = Math.max(maxActive, activeReady.size());
    int ready = (int) activeReady.values().stream().filter(Boolean::booleanValue).count();
    minReady = Math.min(minReady, ready);
  }

  synchronized int maxActive() {
    return maxActive;
  }

  synchronized int minAvailable() {
    return minReady == Integer.MAX_VALUE ? 0 : minReady;
  }

  @Override
  public void close() {
    if (watch != null) {
      watch.close();
    }
  }
}
