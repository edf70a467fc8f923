package io.flotilla.controllers.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a controller expects its informer to show after its own writes, as client-go's UID-tracking
 * {@code ControllerExpectations}: before creating n pods it expects n adds, before deleting pods it
 * expects their deletions by key. Until the informer has shown them (or five minutes passed), the
 * controller must not act on its lagging cache again, so it never creates or deletes twice.
 * Thread-safe (monitor).
 */
public final class Expectations {
  /** How long unmet expectations hold before the controller acts anyway (upstream: 5 min). */
  public static final Duration TTL = Duration.ofMinutes(5);

  private static final class Record {
    int adds;
    final Set<String> deletes = new HashSet<>();
    Instant at;
  }

  private final Clock clock;
  private final Map<String, Record> records = new HashMap<>();

  public Expectations(Clock clock) {
    this.clock = clock;
  }

  /**
   * True when nothing is pending for {@code key}, or what was pending is older than {@link #TTL}.
   */
  public synchronized boolean satisfied(String key) {
    Record r = records.get(key);
    if (r == null) {
      return true;
    }
    if (r.adds <= 0 && r.deletes.isEmpty()) {
      return true;
    }
    return !r.at.plus(TTL).isAfter(clock.now());
  }

  public synchronized void expectCreations(String key, int n) {
    Record r = new Record();
    r.adds = n;
    r.at = clock.now();
    records.put(key, r);
  }

  public synchronized void expectDeletions(String key, Set<String> podKeys) {
    Record r = new Record();
    r.deletes.addAll(podKeys);
    r.at = clock.now();
    records.put(key, r);
  }

  /** The informer showed a pod created for {@code key} (or a create was abandoned). */
  public synchronized void creationObserved(String key) {
    Record r = records.get(key);
    if (r != null) {
      r.adds--;
    }
  }

  /** The informer showed {@code podKey} deleted (or its delete failed). */
  public synchronized void deletionObserved(String key, String podKey) {
    Record r = records.get(key);
    if (r != null) {
      r.deletes.remove(podKey);
    }
  }

  /** Forgets {@code key} (its controller object is gone). */
  public synchronized void delete(String key) {
    records.remove(key);
  }
}
