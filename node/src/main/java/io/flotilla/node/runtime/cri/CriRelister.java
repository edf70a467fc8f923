package io.flotilla.node.runtime.cri;

import io.flotilla.node.runtime.ContainerEvent;
import io.flotilla.node.runtime.cri.v1.Container;
import io.flotilla.node.runtime.cri.v1.ContainerFilter;
import io.flotilla.node.runtime.cri.v1.ContainerState;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Container events for runtimes without GetContainerEvents (containerd 1.6), the way kubelet's
 * generic PLEG finds them: list every container each period, compare each one's state with the
 * previous listing, and report the transitions (CREATED, STARTED, STOPPED; DELETED for one that is
 * gone). A container first seen already running or exited reports that state; the first listing
 * reports every container, so a subscriber that starts late still hears of them.
 *
 * <p>Threading: one daemon thread, started with the first subscription, does the listing and calls
 * the listeners (which must not block). Subscribing and closing are thread-safe.
 */
final class CriRelister implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CriRelister.class);

  private final CriClient cri;
  private final Duration period;
  private final List<Consumer<ContainerEvent>> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, Seen> seen = new HashMap<>();
  private ScheduledExecutorService timer;
  private boolean failing;

  private record Seen(ContainerState state, String namespace, String name, String uid) {}

  CriRelister(CriClient cri, Duration period) {
    this.cri = cri;
    this.period = period;
  }

  synchronized AutoCloseable subscribe(Consumer<ContainerEvent> listener) {
    listeners.add(listener);
    if (timer == null) {
      ScheduledThreadPoolExecutor t =
          new ScheduledThreadPoolExecutor(
              1, Thread.ofPlatform().daemon().name("cri-relist").factory());
      t.scheduleWithFixedDelay(this::relistSafely, 0, period.toMillis(), TimeUnit.MILLISECONDS);
      timer = t;
    }
    return () -> listeners.remove(listener);
  }

  private void relistSafely() {
    try {
      relist();
      if (failing) {
        LOG.info("CRI relist works again");
        failing = false;
      }
    } catch (RuntimeException e) {
      if (!failing) {
        LOG.warn("CRI relist failed (retrying every {}): {}", period, e.getMessage());
        failing = true;
      }
    }
  }

  /** One listing; package-private for tests. */
  void relist() {
    List<Container> now = cri.listContainers(ContainerFilter.getDefaultInstance());
    Map<String, Seen> current = new HashMap<>();
    for (Container c : now) {
      Map<String, String> l = c.getLabelsMap();
      Seen s =
          new Seen(
              c.getState(),
              l.getOrDefault(CriConfigs.POD_NAMESPACE_LABEL, ""),
              l.getOrDefault(CriConfigs.POD_NAME_LABEL, ""),
              l.getOrDefault(CriConfigs.POD_UID_LABEL, ""));
      current.put(c.getId(), s);
      Seen before = seen.get(c.getId());
      if (before == null || before.state() != s.state()) {
        ContainerEvent.Type type =
            switch (s.state()) {
              case CONTAINER_CREATED -> ContainerEvent.Type.CREATED;
              case CONTAINER_RUNNING -> ContainerEvent.Type.STARTED;
              case CONTAINER_EXITED -> ContainerEvent.Type.STOPPED;
              default -> null;
            };
        if (type != null) {
          emit(c.getId(), type, s);
        }
      }
    }
    for (Map.Entry<String, Seen> e : seen.entrySet()) {
      if (!current.containsKey(e.getKey())) {
        emit(e.getKey(), ContainerEvent.Type.DELETED, e.getValue());
      }
    }
    seen.clear();
    seen.putAll(current);
  }

  private void emit(String id, ContainerEvent.Type type, Seen s) {
    ContainerEvent event = new ContainerEvent(id, type, s.namespace(), s.name(), s.uid());
    for (Consumer<ContainerEvent> l : listeners) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        LOG.warn("container event listener failed on {}: {}", event, e.toString());
      }
    }
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      try {
        timer.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      timer = null;
    }
    listeners.clear();
  }
}
