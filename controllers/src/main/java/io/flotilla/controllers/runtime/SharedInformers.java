package io.flotilla.controllers.runtime;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One fabric8 informer per resource, shared by every controller that asks for it (one list and one
 * watch per resource, one cache). Informers are created on first request; {@link #start()} starts
 * those created so far, and any created later start at once. Cached objects are shared: never
 * modify them, copy first (for example with the model's {@code toBuilder()} or {@code edit()}).
 *
 * <p>Thread-safe (monitor); informer callbacks run on fabric8's informer threads.
 */
public final class SharedInformers implements AutoCloseable {
  private final KubernetesClient client;
  private final Map<Object, SharedIndexInformer<?>> informers = new LinkedHashMap<>();
  private final Map<SharedIndexInformer<?>, CompletableFuture<Void>> synced = new LinkedHashMap<>();
  private boolean started;

  public SharedInformers(KubernetesClient client) {
    this.client = client;
  }

  public KubernetesClient client() {
    return client;
  }

  /** The informer over all namespaces for a typed built-in kind. */
  @SuppressWarnings("unchecked")
  public synchronized <T extends HasMetadata> SharedIndexInformer<T> forType(Class<T> type) {
    return (SharedIndexInformer<T>)
        informers.computeIfAbsent(
            type, t -> register(client.resources(type).inAnyNamespace().runnableInformer(0)));
  }

  /** The informer over all namespaces for any resource (custom ones included), as generic maps. */
  @SuppressWarnings("unchecked")
  public synchronized SharedIndexInformer<GenericKubernetesResource> forResource(
      ResourceDefinitionContext rdc) {
    String key = rdc.getGroup() + "/" + rdc.getVersion() + "/" + rdc.getPlural();
    return (SharedIndexInformer<GenericKubernetesResource>)
        informers.computeIfAbsent(
            key,
            k -> {
              var ops = client.genericKubernetesResources(rdc);
              return register(
                  rdc.isNamespaceScoped()
                      ? ops.inAnyNamespace().runnableInformer(0)
                      : ops.runnableInformer(0));
            });
  }

  /** Stops and forgets the informer for a resource that went away (a deleted CRD). */
  public synchronized void remove(ResourceDefinitionContext rdc) {
    String key = rdc.getGroup() + "/" + rdc.getVersion() + "/" + rdc.getPlural();
    SharedIndexInformer<?> i = informers.remove(key);
    if (i != null) {
      synced.remove(i);
      i.stop();
    }
  }

  private <T> SharedIndexInformer<T> register(SharedIndexInformer<T> informer) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    synced.put(informer, f);
    if (started) {
      startOne(informer, f);
    }
    return informer;
  }

  private static void startOne(SharedIndexInformer<?> informer, CompletableFuture<Void> f) {
    informer
        .start()
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                f.completeExceptionally(e);
              } else {
                f.complete(null);
              }
            });
  }

  /** Starts every informer created so far; informers created afterwards start at once. */
  public synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    synced.forEach(SharedInformers::startOne);
  }

  /** A future that completes when {@code informer} (one of ours) has listed once. */
  public synchronized CompletableFuture<Void> synced(SharedIndexInformer<?> informer) {
    CompletableFuture<Void> f = synced.get(informer);
    if (f == null) {
      throw new IllegalArgumentException("informer was not created by this SharedInformers");
    }
    return f;
  }

  /** Waits until every informer created so far has listed once; false on timeout. */
  public boolean waitForSync(Duration timeout) throws InterruptedException {
    List<CompletableFuture<Void>> all;
    synchronized (this) {
      all = new ArrayList<>(synced.values());
    }
    try {
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("an informer failed to start: " + e.getCause(), e);
    }
  }

  @Override
  public synchronized void close() {
    informers.values().forEach(SharedIndexInformer::stop);
    informers.clear();
    synced.clear();
  }
}
