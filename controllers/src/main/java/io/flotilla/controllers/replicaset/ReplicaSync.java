package io.flotilla.controllers.replicaset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.flotilla.controllers.replicaset.ReplicaKind.Condition;
import io.flotilla.controllers.replicaset.ReplicaKind.ReplicaStatus;
import io.flotilla.controllers.runtime.ControllerContext;
import io.flotilla.controllers.runtime.Expectations;
import io.flotilla.controllers.runtime.Keys;
import io.flotilla.controllers.runtime.Ownership;
import io.flotilla.controllers.runtime.Pods;
import io.flotilla.controllers.runtime.Reconciler;
import io.flotilla.controllers.runtime.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The reconcile of upstream's ReplicaSet controller for any {@link ReplicaKind}: claim the pods the
 * selector matches (adopt orphans, release ones that no longer match), create or delete pods until
 * there are {@code replicas} active ones — only when the expectations of the last round are met, at
 * most 500 per round, creates in slow-start batches, deletes in {@link PodRanking} order — then
 * write the status. Threading: one reconcile per key at a time (the work queue's promise); state
 * shared across keys is the thread-safe {@link Expectations}.
 */
final class ReplicaSync<T extends HasMetadata> implements Reconciler {
  /** Upstream's {@code BurstReplicas}: most pods created or deleted in one reconcile. */
  static final int BURST_REPLICAS = 500;

  private final ControllerContext ctx;
  private final ReplicaKind<T> kind;
  final SharedIndexInformer<T> owners;
  final SharedIndexInformer<Pod> pods;
  final Expectations expectations;
  private final PodControl podControl;

  ReplicaSync(ControllerContext ctx, ReplicaKind<T> kind, String component) {
    this.ctx = ctx;
    this.kind = kind;
    this.owners = ctx.informers().forType(kind.type());
    this.pods = ctx.informers().forType(Pod.class);
    this.expectations = new Expectations(ctx.clock());
    this.podControl = new PodControl(ctx.client(), ctx.recorder(component));
  }

  ReplicaKind<T> kind() {
    return kind;
  }

  @Override
  public Result reconcile(String key) throws Exception {
    T owner = owners.getStore().getByKey(key);
    if (owner == null) {
      expectations.delete(key);
      return Result.done();
    }
    boolean satisfied = expectations.satisfied(key);
    List<Pod> active =
        pods
            .getIndexer()
            .byIndex(Cache.NAMESPACE_INDEX, owner.getMetadata().getNamespace())
            .stream()
            .filter(Pods::isActive)
            .toList();
    List<Pod> mine = claim(owner, active);
    Exception manageError = null;
    boolean createFailed = false;
    if (satisfied && owner.getMetadata().getDeletionTimestamp() == null) {
      try {
        manage(key, owner, mine);
      } catch (CreateFailed e) {
        manageError = e.cause;
        createFailed = true;
      } catch (Exception e) {
        manageError = e;
      }
    }
    Instant now = ctx.clock().now();
    ReplicaStatus status = status(owner, mine, createFailed ? manageError : null, now);
    if (!status.equals(kind.status(owner))) {
      kind.writeStatus(ctx.client(), owner, status);
    }
    if (manageError != null) {
      throw manageError;
    }
    // A ready pod that is not yet available becomes available without any event: look again then.
    int minReady = kind.minReadySeconds(owner);
    Optional<Duration> next =
        mine.stream()
            .map(p -> Pods.untilAvailable(p, minReady, now))
            .flatMap(Optional::stream)
            .min(Duration::compareTo);
    return next.map(d -> Result.requeueAfter(d.plusMillis(1))).orElse(Result.done());
  }

  /** Upstream's PodControllerRefManager.ClaimPods. */
  private List<Pod> claim(T owner, List<Pod> candidates) {
    String uid = owner.getMetadata().getUid();
    boolean deleting = owner.getMetadata().getDeletionTimestamp() != null;
    List<Pod> claimed = new ArrayList<>();
    AtomicReference<Boolean> canAdopt = new AtomicReference<>();
    for (Pod p : candidates) {
      Optional<OwnerReference> ref = Pods.controllerOf(p);
      boolean matches = kind.selects(owner, p.getMetadata().getLabels());
      if (ref.isPresent()) {
        if (!uid.equals(ref.get().getUid())) {
          continue;
        }
        if (matches) {
          claimed.add(p);
        } else if (!deleting) {
          release(owner, p);
        }
        continue;
      }
      if (deleting || !matches || p.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      if (canAdopt.get() == null) {
        canAdopt.set(stillCurrent(owner));
      }
      if (!canAdopt.get()) {
        continue;
      }
      Pod adopted = adopt(owner, p);
      if (adopted != null) {
        claimed.add(adopted);
      }
    }
    return claimed;
  }

  /** Upstream's recheck before adopting: a fresh read shows the same, undeleted owner. */
  private boolean stillCurrent(T owner) {
    T fresh =
        ctx.client()
            .resources(kind.type())
            .inNamespace(owner.getMetadata().getNamespace())
            .withName(owner.getMetadata().getName())
            .get();
    return fresh != null
        && Objects.equals(fresh.getMetadata().getUid(), owner.getMetadata().getUid())
        && fresh.getMetadata().getDeletionTimestamp() == null;
  }

  private Pod adopt(T owner, Pod p) {
    List<OwnerReference> refs = new ArrayList<>();
    if (p.getMetadata().getOwnerReferences() != null) {
      refs.addAll(p.getMetadata().getOwnerReferences());
    }
    refs.add(Ownership.controllerRef(owner, kind.apiVersion(), kind.kind()));
    try {
      return Ownership.setOwnerReferences(ctx.client(), Pod.class, p, refs);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  private void release(T owner, Pod p) {
    List<OwnerReference> refs =
        p.getMetadata().getOwnerReferences().stream()
            .filter(r -> !owner.getMetadata().getUid().equals(r.getUid()))
            .toList();
    try {
      Ownership.setOwnerReferences(ctx.client(), Pod.class, p, refs);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private static final class CreateFailed extends Exception {
    final Exception cause;

    CreateFailed(Exception cause) {
      super(cause);
      this.cause = cause;
    }
  }

  private void manage(String key, T owner, List<Pod> mine) throws Exception {
    int diff = mine.size() - kind.replicas(owner);
    if (diff < 0) {
      int n = Math.min(-diff, BURST_REPLICAS);
      expectations.expectCreations(key, n);
      OwnerReference ref = Ownership.controllerRef(owner, kind.apiVersion(), kind.kind());
      SlowStart.Outcome out =
          SlowStart.run(
              n, SlowStart.INITIAL_BATCH, i -> podControl.create(owner, kind.template(owner), ref));
      for (int i = out.successes(); i < n; i++) {
        expectations.creationObserved(key); // never to be observed: not created
      }
      if (out.error() != null) {
        throw new CreateFailed(out.error());
      }
    } else if (diff > 0) {
      int n = Math.min(diff, BURST_REPLICAS);
      List<Pod> victims =
          new PodRanking(related(owner, mine), ctx.clock().now()).pickForDeletion(mine, n);
      Set<String> keys = new HashSet<>();
      victims.forEach(p -> keys.add(Keys.of(p)));
      expectations.expectDeletions(key, keys);
      // All at once, as upstream's WaitGroup of deletes: one after another, a round of 500 on a
      // loaded server kept the ReplicaSet's status (written after the round) stale for tens of
      // seconds, which held up the Deployment's rollout.
      AtomicReference<RuntimeException> first = new AtomicReference<>();
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (Pod p : victims) {
          pool.submit(
              () -> {
                try {
                  if (!podControl.delete(owner, p)) {
                    expectations.deletionObserved(key, Keys.of(p));
                  }
                } catch (RuntimeException e) {
                  expectations.deletionObserved(key, Keys.of(p));
                  first.compareAndSet(null, e);
                }
              });
        }
      }
      if (first.get() != null) {
        throw first.get();
      }
    }
  }

  /** Pods of every sibling with the same controller owner (a Deployment's ReplicaSets). */
  private List<Pod> related(T owner, List<Pod> mine) {
    Optional<OwnerReference> parent = Pods.controllerOf(owner);
    if (parent.isEmpty()) {
      return mine;
    }
    Set<String> siblings = new HashSet<>();
    for (T o :
        owners.getIndexer().byIndex(Cache.NAMESPACE_INDEX, owner.getMetadata().getNamespace())) {
      if (Pods.controllerOf(o).map(r -> r.getUid().equals(parent.get().getUid())).orElse(false)) {
        siblings.add(o.getMetadata().getUid());
      }
    }
    return pods
        .getIndexer()
        .byIndex(Cache.NAMESPACE_INDEX, owner.getMetadata().getNamespace())
        .stream()
        .filter(p -> Pods.controllerOf(p).map(r -> siblings.contains(r.getUid())).orElse(false))
        .toList();
  }

  private ReplicaStatus status(T owner, List<Pod> mine, Exception createError, Instant now) {
    Map<String, String> templateLabels =
        kind.template(owner) == null || kind.template(owner).getMetadata() == null
            ? Map.of()
            : Objects.requireNonNullElse(kind.template(owner).getMetadata().getLabels(), Map.of());
    int fully = 0;
    int ready = 0;
    int available = 0;
    int minReady = kind.minReadySeconds(owner);
    for (Pod p : mine) {
      Map<String, String> labels =
          Objects.requireNonNullElse(p.getMetadata().getLabels(), Map.of());
      if (labels.entrySet().containsAll(templateLabels.entrySet())) {
        fully++;
      }
      if (Pods.isReady(p)) {
        ready++;
        if (Pods.isAvailable(p, minReady, now)) {
          available++;
        }
      }
    }
    List<Condition> conditions = new ArrayList<>();
    ReplicaStatus old = kind.status(owner);
    for (Condition c : old.conditions()) {
      if (!c.type().equals("ReplicaFailure")) {
        conditions.add(c);
      }
    }
    if (createError != null) {
      Condition prior =
          old.conditions().stream()
              .filter(c -> c.type().equals("ReplicaFailure"))
              .findFirst()
              .orElse(null);
      String reason = "FailedCreate";
      String message = createError.getMessage();
      conditions.add(
          prior != null
                  && "True".equals(prior.status())
                  && reason.equals(prior.reason())
                  && Objects.equals(message, prior.message())
              ? prior
              : new Condition("ReplicaFailure", "True", reason, message, Pods.timestamp(now)));
    }
    Long gen = owner.getMetadata().getGeneration();
    return new ReplicaStatus(
        mine.size(), fully, ready, available, gen == null ? 0 : gen, List.copyOf(conditions));
  }
}
