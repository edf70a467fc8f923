package io.flotilla.apiserver.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.api.KindRegistry;
import io.flotilla.api.ResourceType;
import io.flotilla.api.crd.CrdDefinitions;
import io.flotilla.apiserver.registry.ObjectCodec;
import io.flotilla.store.KeyValue;
import io.flotilla.store.RangeRequest;
import io.flotilla.store.RangeResult;
import io.flotilla.store.Store;
import io.flotilla.store.StoreException;
import io.flotilla.store.Txn;
import io.flotilla.store.Watch;
import io.flotilla.store.WatchEvent;
import io.flotilla.store.WatchListener;
import io.flotilla.store.WatchRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-apiserver CRD loop: serves the custom resources of every stored CustomResourceDefinition.
 * For each CRD it checks the names against other CRDs and built-in resources of the group,
 * registers the served versions in the {@link KindRegistry}, and writes the status (acceptedNames,
 * storedVersions, NamesAccepted, Established) and the cleanup finalizer. A terminating CRD stops
 * being served, loses all its objects, and then its finalizer.
 *
 * <p>Threading: all work runs on one thread of its own, in store order, and may block on the Store
 * there (never on a request thread). Status writes compare-and-swap on the key's modRevision and
 * retry on conflict, so they bump resourceVersion and reach watchers like any status update.
 */
public final class CrdServing implements AutoCloseable {
  /** Where CRDs are stored. */
  public static final String PREFIX = "/registry/apiextensions.k8s.io/customresourcedefinitions/";

  private static final Logger log = LoggerFactory.getLogger(CrdServing.class);
  private static final int MAX_ATTEMPTS = 16;

  private final Store store;
  private final KindRegistry registry;
  private final Clock clock;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "apiserver-crds");
            t.setDaemon(true);
            return t;
          });

  /** Types registered per CRD name, in the order they were accepted (first come, first served). */
  private final Map<String, List<ResourceType>> served = new LinkedHashMap<>();

  /** The spec each served CRD's types were built from. */
  private final Map<String, JsonNode> servedSpecs = new HashMap<>();

  private volatile Watch watch;
  private volatile boolean closed;

  public CrdServing(Store store, KindRegistry registry, Clock clock) {
    this.store = store;
    this.registry = registry;
    this.clock = clock;
  }

  /**
   * Serves every stored CRD, then follows changes. Returns once the stored ones are registered, so
   * that a server started after it answers for them at once.
   */
  public void start() throws InterruptedException {
    try {
      worker.submit(this::resync).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot serve the stored CRDs", e.getCause());
    }
  }

  /** Lists every CRD, reconciles each (and those gone), then watches from after the list. */
  private void resync() {
    if (closed) {
      return;
    }
    RangeResult all = store.range(RangeRequest.prefix(PREFIX)).join();
    Set<String> names = new HashSet<>(served.keySet());
    for (KeyValue kv : all.kvs()) {
      names.add(kv.key().substring(PREFIX.length()));
    }
    names.stream().sorted().forEach(this::reconcileSafely);
    watch = store.watch(WatchRequest.prefix(PREFIX, all.revision() + 1), new Listener());
  }

  private final class Listener implements WatchListener {
    @Override
    public void onEvents(List<WatchEvent> events) {
      for (WatchEvent e : events) {
        submit(() -> reconcileSafely(e.kv().key().substring(PREFIX.length())));
      }
    }

    @Override
    public void onError(StoreException error) {
      if (!closed) {
        log.warn("CRD watch ended ({}); listing again", error.getMessage());
        submit(CrdServing.this::resync);
      }
    }
  }

  private void submit(Runnable r) {
    try {
      worker.execute(r);
    } catch (RejectedExecutionException e) {
      // Closed: nothing more to do.
    }
  }

  private void reconcileSafely(String name) {
    if (closed) {
      return;
    }
    try {
      reconcile(name);
    } catch (RuntimeException e) {
      log.warn("cannot serve CustomResourceDefinition {}: {}", name, e.toString());
    }
  }

  private void reconcile(String name) {
    KeyValue kv = store.get(PREFIX + name).join();
    if (kv == null) {
      if (unserve(name)) {
        retryRefused();
      }
      return;
    }
    ObjectNode crd = ObjectCodec.decode(kv);
    if (crd.path("metadata").hasNonNull("deletionTimestamp")) {
      cleanUp(name, crd);
      return;
    }
    String conflict = conflict(name, crd);
    if (conflict == null) {
      serve(name, crd);
    } else if (unserve(name)) {
      retryRefused();
    }
    write(name, cur -> CrdStatus.established(cur, conflict(name, cur), clock.instant()));
  }

  /** Another CRD gave up names: those refused before may be accepted now. */
  private void retryRefused() {
    for (KeyValue kv : store.range(RangeRequest.prefix(PREFIX)).join().kvs()) {
      String other = kv.key().substring(PREFIX.length());
      if (!served.containsKey(other)) {
        submit(() -> reconcileSafely(other));
      }
    }
  }

  /** Why the CRD's names cannot be accepted, or null when they can. */
  private String conflict(String name, JsonNode crd) {
    String group = crd.path("spec").path("group").asText();
    List<String> mine = CrdStatus.claimedNames(crd);
    Set<ResourceType> custom = new HashSet<>();
    served.values().forEach(custom::addAll);
    for (Map.Entry<String, List<ResourceType>> e : served.entrySet()) {
      if (e.getKey().equals(name) || e.getValue().isEmpty()) {
        continue;
      }
      ResourceType other = e.getValue().getFirst();
      if (!other.group().equals(group)) {
        continue;
      }
      for (String n : names(other)) {
        if (mine.contains(n)) {
          return "\"" + n + "\" is already in use by CustomResourceDefinition " + e.getKey();
        }
      }
    }
    for (ResourceType t : registry.all()) {
      if (t.group().equals(group) && !custom.contains(t)) {
        for (String n : List.of(t.plural(), t.kind())) {
          if (mine.contains(n)) {
            return "\"" + n + "\" is already in use by the built-in resource " + t.plural();
          }
        }
      }
    }
    return null;
  }

  private static List<String> names(ResourceType t) {
    List<String> out = new ArrayList<>(List.of(t.plural(), t.singular(), t.kind(), t.listKind()));
    out.addAll(t.shortNames());
    return out;
  }

  private void serve(String name, ObjectNode crd) {
    JsonNode spec = crd.path("spec");
    if (spec.equals(servedSpecs.get(name)) && served.containsKey(name)) {
      // Unchanged (a status write of ours): keep the types, their compiled rules and caches.
      return;
    }
    List<ResourceType> next = CrdDefinitions.resourceTypes(crd);
    List<ResourceType> before = served.getOrDefault(name, List.of());
    next.forEach(registry::register);
    for (ResourceType old : before) {
      boolean kept =
          next.stream()
              .anyMatch(
                  t ->
                      t.group().equals(old.group())
                          && t.version().equals(old.version())
                          && t.plural().equals(old.plural()));
      if (!kept) {
        registry.unregister(old);
      }
    }
    served.put(name, next);
    servedSpecs.put(name, spec.deepCopy());
  }

  /** Stops serving a CRD's types; true when it was served. */
  private boolean unserve(String name) {
    servedSpecs.remove(name);
    List<ResourceType> types = served.remove(name);
    if (types == null) {
      return false;
    }
    types.forEach(registry::unregister);
    return true;
  }

  /** Upstream's finalizer controller: stop serving, delete every object, drop the finalizer. */
  private void cleanUp(String name, ObjectNode crd) {
    if (!hasFinalizer(crd)) {
      unserve(name);
      return;
    }
    write(name, cur -> CrdStatus.terminating(cur, false, clock.instant()));
    if (unserve(name)) {
      retryRefused();
    }
    String group = crd.path("spec").path("group").asText();
    String plural = crd.path("spec").path("names").path("plural").asText();
    String objects = "/registry/" + group + "/" + plural + "/";
    for (KeyValue kv : store.range(RangeRequest.prefix(objects)).join().kvs()) {
      store.txn(Txn.delete(kv.key(), kv.modRevision())).join();
    }
    if (store.range(RangeRequest.prefix(objects).withCountOnly()).join().count() > 0) {
      // Created while we deleted (a request already past routing): try again.
      submit(() -> reconcileSafely(name));
      return;
    }
    write(name, cur -> CrdStatus.terminating(cur, true, clock.instant()));
  }

  private static boolean hasFinalizer(JsonNode crd) {
    for (JsonNode f : crd.path("metadata").path("finalizers")) {
      if (f.asText().equals(CrdStatus.FINALIZER)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Read-modify-write of one CRD with compare-and-swap, retried on conflict. A result that is
   * terminating with no finalizers left deletes the CRD.
   */
  private void write(String name, UnaryOperator<ObjectNode> change) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      KeyValue kv = store.get(PREFIX + name).join();
      if (kv == null) {
        return;
      }
      ObjectNode cur = ObjectCodec.decode(kv);
      ObjectNode next = change.apply(cur.deepCopy());
      if (next.equals(cur)) {
        return;
      }
      JsonNode meta = next.path("metadata");
      boolean gone = meta.hasNonNull("deletionTimestamp") && meta.path("finalizers").isEmpty();
      Txn txn =
          gone
              ? Txn.delete(kv.key(), kv.modRevision())
              : Txn.update(kv.key(), ObjectCodec.encode(next), kv.modRevision());
      if (store.txn(txn).join().succeeded()) {
        return;
      }
    }
    log.warn("CustomResourceDefinition {}: status not written after {} tries", name, MAX_ATTEMPTS);
  }

  /** Stops following CRDs; what is registered stays registered. */
  @Override
  public void close() {
    closed = true;
    Watch w = watch;
    if (w != null) {
      w.close();
    }
    worker.shutdownNow();
  }
}
