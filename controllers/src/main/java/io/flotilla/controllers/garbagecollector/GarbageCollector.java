package io.flotilla.controllers.garbagecollector;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.flotilla.controllers.garbagecollector.Graph.Node;
import io.flotilla.controllers.runtime.Clock;
import io.flotilla.controllers.runtime.Controller;
import io.flotilla.controllers.runtime.ControllerContext;
import io.flotilla.controllers.runtime.Discovery;
import io.flotilla.controllers.runtime.Reconciler;
import io.flotilla.controllers.runtime.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The garbage collector (upstream's {@code garbagecollector}): deletes objects whose owners are all
 * gone (background propagation), deletes the dependents of an owner with the {@code
 * foregroundDeletion} finalizer and then removes that finalizer (foreground), and removes the owner
 * reference from every dependent of an owner with the {@code orphan} finalizer and then that
 * finalizer (orphan).
 *
 * <p>Scope: every resource discovery lists with list, watch and delete (custom resources included,
 * events excluded), re-discovered every {@link #REDISCOVERY}; one shared informer each feeds the
 * {@link Graph}. Checks that need certainty (is this owner really gone?) read the live object, not
 * the cache.
 *
 * <p>Threading: informer threads update the graph and queue UIDs; workers reconcile one UID at a
 * time; the rediscovery timer runs on the clock's thread.
 */
public final class GarbageCollector implements Reconciler {
  public static final String NAME = "garbagecollector";
  public static final String ORPHAN = "orphan";
  public static final String FOREGROUND = "foregroundDeletion";
  public static final Duration REDISCOVERY = Duration.ofSeconds(30);
  private static final Set<String> IGNORED = Set.of("/events", "events.k8s.io/events");
  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

  private final ControllerContext ctx;
  private final Graph graph = new Graph();
  private final Map<String, SharedIndexInformer<GenericKubernetesResource>> informers =
      new ConcurrentHashMap<>();
  private volatile Map<String, Discovery.Resource> byKind = Map.of();
  private volatile Controller controller;
  private volatile boolean closed;
  private volatile Clock.Cancellable timer = () -> {};

  private GarbageCollector(ControllerContext ctx) {
    this.ctx = ctx;
  }

  public static Controller create(ControllerContext ctx) {
    GarbageCollector gc = new GarbageCollector(ctx);
    Controller c =
        Controller.builder(ctx, NAME, gc)
            .workers(5)
            .onClose(
                () -> {
                  gc.closed = true;
                  gc.timer.cancel();
                })
            .build();
    gc.controller = c;
    gc.rediscover();
    gc.timer = ctx.clock().schedule(REDISCOVERY, gc::periodic);
    // A CRD created or removed changes what there is to watch: look again soon, not in 30 s.
    ctx.informers()
        .forType(CustomResourceDefinition.class)
        .addEventHandler(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(CustomResourceDefinition o) {
                gc.soon();
              }

              @Override
              public void onUpdate(CustomResourceDefinition o, CustomResourceDefinition n) {
                if (!java.util.Objects.equals(o.getStatus(), n.getStatus())) {
                  gc.soon();
                }
              }

              @Override
              public void onDelete(CustomResourceDefinition o, boolean unknown) {
                gc.soon();
              }
            });
    return c;
  }

  private void periodic() {
    if (closed) {
      return;
    }
    rediscover();
    timer = ctx.clock().schedule(REDISCOVERY, this::periodic);
  }

  private void soon() {
    ctx.clock().schedule(Duration.ofMillis(500), this::rediscover);
  }

  /** Watches every deletable resource discovery lists; forgets resources no longer served. */
  private synchronized void rediscover() {
    if (closed) {
      return;
    }
    try {
      Map<String, Discovery.Resource> kinds = new HashMap<>();
      Set<String> served = new java.util.HashSet<>();
      for (Discovery.Resource r : Discovery.preferredResources(ctx.client())) {
        kinds.put(r.group() + "/" + r.kind(), r);
        if (!r.verbs().containsAll(List.of("list", "watch", "delete"))
            || IGNORED.contains(r.key())) {
          continue;
        }
        served.add(r.key());
        informers.computeIfAbsent(r.key(), k -> watch(r));
      }
      byKind = Map.copyOf(kinds);
      for (String key : List.copyOf(informers.keySet())) {
        if (!served.contains(key)) {
          var gone = informers.remove(key);
          if (gone != null) {
            gone.stop();
          }
          graph.removeResource(key);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("garbage collector: discovery failed, will retry: {}", e.toString());
    }
  }

  private SharedIndexInformer<GenericKubernetesResource> watch(Discovery.Resource r) {
    SharedIndexInformer<GenericKubernetesResource> inf = ctx.informers().forResource(r.context());
    inf.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(GenericKubernetesResource o) {
            changed(r, null, o);
          }

          @Override
          public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource o) {
            changed(r, old, o);
          }

          @Override
          public void onDelete(GenericKubernetesResource o, boolean unknown) {
            Node gone = graph.remove(o.getMetadata().getUid());
            // Its dependents may now be dangling; a foreground owner may be waiting for it.
            graph.dependentsOf(o.getMetadata().getUid()).forEach(d -> controller.enqueue(d.uid()));
            ownerUids(o).forEach(controller::enqueue);
            if (gone != null) {
              gone.owners().forEach(ref -> controller.enqueue(ref.getUid()));
            }
          }
        });
    return inf;
  }

  private static List<String> ownerUids(GenericKubernetesResource o) {
    return o.getMetadata().getOwnerReferences() == null
        ? List.of()
        : o.getMetadata().getOwnerReferences().stream().map(OwnerReference::getUid).toList();
  }

  private void changed(
      Discovery.Resource r, GenericKubernetesResource old, GenericKubernetesResource o) {
    var m = o.getMetadata();
    Node n =
        new Node(
            r,
            m.getNamespace() == null ? "" : m.getNamespace(),
            m.getName(),
            m.getUid(),
            m.getOwnerReferences() == null ? List.of() : List.copyOf(m.getOwnerReferences()),
            m.getDeletionTimestamp() != null,
            m.getFinalizers() == null ? List.of() : List.copyOf(m.getFinalizers()),
            m.getResourceVersion());
    Node prior = graph.put(n);
    boolean ownersChanged = prior == null || !prior.owners().equals(n.owners());
    if ((ownersChanged && !n.owners().isEmpty())
        || (n.deleting() && (n.has(ORPHAN) || n.has(FOREGROUND)))) {
      controller.enqueue(n.uid());
    }
    if (n.deleting() || (prior != null && ownersChanged)) {
      // A foreground owner waits for this dependent (being deleted, or no longer its dependent).
      n.owners().forEach(ref -> controller.enqueue(ref.getUid()));
      if (prior != null) {
        prior.owners().forEach(ref -> controller.enqueue(ref.getUid()));
      }
    }
    if (n.deleting() && (prior == null || !prior.deleting())) {
      graph.dependentsOf(n.uid()).forEach(d -> controller.enqueue(d.uid()));
    }
  }

  private boolean synced() {
    return informers.values().stream().allMatch(i -> ctx.informers().synced(i).isDone());
  }

  @Override
  public Result reconcile(String uid) {
    if (!synced()) {
      return Result.requeueAfter(Duration.ofSeconds(1));
    }
    Node n = graph.get(uid);
    if (n == null) {
      return Result.done();
    }
    var ops = new Ops(ctx.client(), byKind);
    if (n.deleting()) {
      if (n.has(ORPHAN)) {
        orphanDependents(ops, n);
      } else if (n.has(FOREGROUND)) {
        deleteDependentsFirst(ops, n);
      }
      return Result.done();
    }
    if (!n.owners().isEmpty()) {
      attemptToDelete(ops, n);
    }
    return Result.done();
  }

  private enum OwnerState {
    SOLID,
    DANGLING,
    WAITING
  }

  private OwnerState state(Ops ops, Node n, OwnerReference ref) {
    Node owner = graph.get(ref.getUid());
    if (owner != null) {
      return owner.deleting() && owner.has(FOREGROUND) ? OwnerState.WAITING : OwnerState.SOLID;
    }
    GenericKubernetesResource live;
    try {
      live = ops.getOwner(n, ref);
    } catch (Ops.UnknownKind e) {
      LOG.info(
          "garbage collector: owner kind {} of {} is not served; keeping it",
          ref.getKind(),
          n.name());
      return OwnerState.SOLID;
    }
    if (live == null || !ref.getUid().equals(live.getMetadata().getUid())) {
      return OwnerState.DANGLING;
    }
    boolean waiting =
        live.getMetadata().getDeletionTimestamp() != null
            && live.getMetadata().getFinalizers() != null
            && live.getMetadata().getFinalizers().contains(FOREGROUND);
    return waiting ? OwnerState.WAITING : OwnerState.SOLID;
  }

  /** Upstream's attemptToDeleteItem. */
  private void attemptToDelete(Ops ops, Node cached) {
    Map<OwnerState, List<OwnerReference>> by = new HashMap<>();
    for (OwnerReference ref : cached.owners()) {
      by.computeIfAbsent(state(ops, cached, ref), s -> new ArrayList<>()).add(ref);
    }
    if (!by.containsKey(OwnerState.DANGLING) && !by.containsKey(OwnerState.WAITING)) {
      return; // every owner is there: nothing to do, and no need to read the object
    }
    GenericKubernetesResource live = ops.get(cached);
    if (live == null || !cached.uid().equals(live.getMetadata().getUid())) {
      return;
    }
    List<OwnerReference> dangling = by.getOrDefault(OwnerState.DANGLING, List.of());
    List<OwnerReference> waiting = by.getOrDefault(OwnerState.WAITING, List.of());
    if (by.containsKey(OwnerState.SOLID)) {
      Set<String> drop = new java.util.HashSet<>();
      dangling.forEach(r -> drop.add(r.getUid()));
      waiting.forEach(r -> drop.add(r.getUid()));
      List<OwnerReference> keep =
          live.getMetadata().getOwnerReferences().stream()
              .filter(r -> !drop.contains(r.getUid()))
              .toList();
      ops.setOwnerReferences(cached, live, keep);
      return;
    }
    List<Node> itsDependents = graph.dependentsOf(cached.uid());
    if (!waiting.isEmpty() && !itsDependents.isEmpty()) {
      // Its owner waits for it and it has dependents itself: delete it in the foreground too. If
      // one of those dependents also waits for its own dependents, a cycle is possible: stop the
      // waiting owners from waiting on this object (blockOwnerDeletion false), as upstream does.
      if (itsDependents.stream().anyMatch(d -> d.deleting() && d.has(FOREGROUND))) {
        Set<String> waitingUids = new java.util.HashSet<>();
        waiting.forEach(r -> waitingUids.add(r.getUid()));
        List<OwnerReference> refs =
            live.getMetadata().getOwnerReferences().stream()
                .map(
                    r ->
                        waitingUids.contains(r.getUid())
                            ? new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder(r)
                                .withBlockOwnerDeletion(false)
                                .build()
                            : r)
                .toList();
        ops.setOwnerReferences(cached, live, refs);
      }
      ops.delete(cached, DeletionPropagation.FOREGROUND);
      return;
    }
    List<String> fins = Objects.requireNonNullElse(live.getMetadata().getFinalizers(), List.of());
    DeletionPropagation policy =
        fins.contains(ORPHAN)
            ? DeletionPropagation.ORPHAN
            : fins.contains(FOREGROUND)
                ? DeletionPropagation.FOREGROUND
                : DeletionPropagation.BACKGROUND;
    ops.delete(cached, policy);
  }

  /** Upstream's orphanDependents, then removal of the orphan finalizer. */
  private void orphanDependents(Ops ops, Node owner) {
    for (Node d : graph.dependentsOf(owner.uid())) {
      GenericKubernetesResource live = ops.get(d);
      if (live == null || live.getMetadata().getOwnerReferences() == null) {
        continue;
      }
      List<OwnerReference> keep =
          live.getMetadata().getOwnerReferences().stream()
              .filter(r -> !owner.uid().equals(r.getUid()))
              .toList();
      if (keep.size() != live.getMetadata().getOwnerReferences().size()) {
        ops.setOwnerReferences(d, live, keep);
      }
    }
    ops.removeFinalizer(owner, ORPHAN);
  }

  /** Upstream's processDeletingDependentsItem. */
  private void deleteDependentsFirst(Ops ops, Node owner) {
    List<Node> blocking = new ArrayList<>();
    for (Node d : graph.dependentsOf(owner.uid())) {
      boolean blocks =
          d.owners().stream()
              .anyMatch(
                  r ->
                      owner.uid().equals(r.getUid())
                          && Boolean.TRUE.equals(r.getBlockOwnerDeletion()));
      if (blocks) {
        blocking.add(d);
      }
      if (!d.deleting()) {
        controller.enqueue(d.uid());
      }
    }
    if (blocking.isEmpty()) {
      ops.removeFinalizer(owner, FOREGROUND);
    }
  }

  /** For tests and metrics: how many objects the graph holds. */
  int graphSize() {
    return graph.size();
  }

  static void ignore(KubernetesClientException e) {
    if (e.getCode() != 404 && e.getCode() != 409) {
      throw e;
    }
  }
}
