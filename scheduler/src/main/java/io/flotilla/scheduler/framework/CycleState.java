package io.flotilla.scheduler.framework;

import java.util.HashMap;
import java.util.Map;

/**
 * Data plugins share within one scheduling cycle of one pod.
 *
 * <p>Threading: written by PreFilter/PreScore on the scheduling thread, then only read by the
 * Filter/Score calls that the runtime fans out over nodes; the hand-off to worker threads
 * happens-before those reads, so a plain map suffices.
 */
public final class CycleState {

  /** A typed key; identity is the instance, so each plugin keeps its key as a constant. */
  public record Key<T>(String name) {}

  /** Values that preemption mutates (AddPod/RemovePod) must copy themselves. */
  public interface Copyable {
    Copyable copy();
  }

  private final Map<Key<?>, Object> values;

  public CycleState() {
    this.values = new HashMap<>();
  }

  private CycleState(Map<Key<?>, Object> values) {
    this.values = values;
  }

  public <T> void write(Key<T> key, T value) {
    values.put(key, value);
  }

  /** The value written under {@code key}, or null when its PreFilter/PreScore did not run. */
  @SuppressWarnings("unchecked")
  public <T> T read(Key<T> key) {
    return (T) values.get(key);
  }

  /** A copy for a what-if evaluation (preemption); copyable values are copied deeply. */
  public CycleState copy() {
    Map<Key<?>, Object> copied = new HashMap<>(values.size() * 2);
    for (Map.Entry<Key<?>, Object> e : values.entrySet()) {
      Object v = e.getValue();
      copied.put(e.getKey(), v instanceof Copyable c ? c.copy() : v);
    }
    return new CycleState(copied);
  }
}
