package io.flotilla.controllers.runtime;

/**
 * Brings one object's actual state toward its desired state. Called by a {@link Controller}'s
 * workers with a key ({@code namespace/name}, or {@code name} for cluster-scoped objects, see
 * {@link Keys}); never with the same key on two threads at once, but with different keys
 * concurrently.
 *
 * <p>Level-based and idempotent: read the current state from informer caches (never modify cached
 * objects: copy them first), compare with the desired state, write the difference. The key's object
 * may be gone. Throwing requeues the key with rate-limited backoff and counts an error.
 */
@FunctionalInterface
public interface Reconciler {
  Result reconcile(String key) throws Exception;
}
