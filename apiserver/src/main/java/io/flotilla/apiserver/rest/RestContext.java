package io.flotilla.apiserver.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.KindRegistry;
import io.flotilla.api.ResourceType;
import io.flotilla.api.openapi.UnknownFields;
import io.flotilla.apiserver.registry.ListWatchSource;
import io.flotilla.apiserver.registry.ObjectCodec;
import io.flotilla.apiserver.services.ServiceAllocator;
import io.flotilla.store.KeyValue;
import io.flotilla.store.Store;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every REST handler shares: the Store, the kind registry, the list/watch source, the clock, a
 * scheduler for timers (watch timeouts and bookmarks), and the schemas that find unknown fields
 * (null to skip that check), and the Service IP and port allocator. Immutable.
 */
public record RestContext(
    Store store,
    KindRegistry registry,
    ListWatchSource source,
    Clock clock,
    ScheduledExecutorService timers,
    long bookmarkIntervalMillis,
    UnknownFields unknownFields,
    ServiceAllocator services) {

  /** The Namespace resource, which every namespaced write checks against. */
  public ResourceType namespaceType() {
    return registry
        .byResource("", "v1", "namespaces")
        .orElseThrow(() -> new IllegalStateException("the registry lacks namespaces"));
  }

  /** Reads one object; completes with null when absent. */
  public CompletableFuture<Stored> read(ResourceType type, String namespace, String name) {
    String key = ObjectCodec.key(type, namespace, name);
    return store.get(key).thenApply(kv -> kv == null ? null : new Stored(key, kv));
  }

  /**
   * Fails with 404 when the namespace is missing, or with 403 for a create when it is terminating.
   */
  public CompletableFuture<Void> checkNamespace(
      ResourceType type, String namespace, String name, boolean creating) {
    if (!type.namespaced()) {
      return CompletableFuture.completedFuture(null);
    }
    ResourceType ns = namespaceType();
    return read(ns, "", namespace)
        .thenApply(
            s -> {
              if (s == null) {
                throw StatusException.notFound(ns, namespace);
              }
              if (creating && s.object().path("metadata").hasNonNull("deletionTimestamp")) {
                throw StatusException.namespaceTerminating(type, name, namespace);
              }
              return null;
            });
  }

  /**
   * Writes {@code next} over {@code cur} if the key is still at {@code cur}'s revision; completes
   * with {@code next} carrying its new resourceVersion, or with null when the key changed
   * underneath (the caller reads again and retries).
   */
  public CompletableFuture<ObjectNode> updateIfUnchanged(Stored cur, ObjectNode next) {
    return store
        .txn(io.flotilla.store.Txn.update(cur.key(), ObjectCodec.encode(next), cur.revision()))
        .thenApply(
            r -> {
              if (!r.succeeded()) {
                return null;
              }
              ObjectMetaRules.meta(next)
                  .put("resourceVersion", Long.toString(r.kv().modRevision()));
              return next;
            });
  }

  /** A stored object: its key, its key-value and the decoded object (resourceVersion set). */
  public record Stored(String key, KeyValue kv, ObjectNode object) {
    public Stored(String key, KeyValue kv) {
      this(key, kv, ObjectCodec.decode(kv));
    }

    public long revision() {
      return kv.modRevision();
    }
  }
}
