package io.flotilla.store.rocksdb;

import io.flotilla.store.LeaseNotFoundException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The live leases: their TTL, expiry deadline and attached keys.
 *
 * <p>Threading: only the committer grants, removes, attaches and detaches (so the key sets need no
 * lock); keep-alives and the expiry checker run on other threads and touch only the volatile
 * deadline and flag. Deadlines are not persisted: after a restart every lease gets its full TTL
 * again, as etcd does on a leader change.
 */
final class Leases {

  static final class State {
    final long id;
    final long ttlSeconds;
    volatile long expiresAtMillis;

    /** An expiry revoke has been queued; stops the checker from queueing another. */
    volatile boolean revoking;

    final Set<String> keys = new TreeSet<>();

    State(long id, long ttlSeconds, long expiresAtMillis) {
      this.id = id;
      this.ttlSeconds = ttlSeconds;
      this.expiresAtMillis = expiresAtMillis;
    }
  }

  private final ConcurrentHashMap<Long, State> byId = new ConcurrentHashMap<>();
  private final Clock clock;

  Leases(Clock clock) {
    this.clock = clock;
  }

  boolean exists(long id) {
    return byId.containsKey(id);
  }

  long newId() {
    long id;
    do {
      id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    } while (byId.containsKey(id));
    return id;
  }

  void grant(long id, long ttlSeconds) {
    byId.put(id, new State(id, ttlSeconds, deadline(ttlSeconds)));
  }

  /** Renews a lease; one that has passed its deadline counts as gone even before it is revoked. */
  long keepAlive(long id) {
    State s = byId.get(id);
    if (s == null || s.expiresAtMillis <= clock.millis()) {
      throw new LeaseNotFoundException(id);
    }
    s.expiresAtMillis = deadline(s.ttlSeconds);
    return s.ttlSeconds;
  }

  boolean isExpired(long id) {
    State s = byId.get(id);
    return s != null && s.expiresAtMillis <= clock.millis();
  }

  /** Leases past their deadline not yet queued for revocation; marks them queued. */
  List<Long> claimExpired() {
    long now = clock.millis();
    List<Long> expired = new ArrayList<>();
    for (State s : byId.values()) {
      if (!s.revoking && s.expiresAtMillis <= now) {
        s.revoking = true;
        expired.add(s.id);
      }
    }
    return expired;
  }

  /** A queued expiry found the lease renewed in the meantime: let the checker look again. */
  void unclaim(long id) {
    State s = byId.get(id);
    if (s != null) {
      s.revoking = false;
    }
  }

  List<String> keys(long id) {
    State s = byId.get(id);
    return s == null ? List.of() : List.copyOf(s.keys);
  }

  void attach(long id, String key) {
    State s = byId.get(id);
    if (s != null) {
      s.keys.add(key);
    }
  }

  void detach(long id, String key) {
    State s = byId.get(id);
    if (s != null) {
      s.keys.remove(key);
    }
  }

  void remove(long id) {
    byId.remove(id);
  }

  private long deadline(long ttlSeconds) {
    return clock.millis() + ttlSeconds * 1000;
  }
}
