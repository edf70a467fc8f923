package io.flotilla.scheduler.client;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.flotilla.scheduler.ClusterEventHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The scheduler's view of the cluster: fabric8 shared informers on Nodes, Namespaces and Pods
 * (every namespace; pods that have finished, phase Succeeded or Failed, are left out as upstream
 * does, since they hold no room) delivering to {@link ClusterEventHandlers}.
 *
 * <p>Threading: each informer calls its handler on its own thread, in the order of its watch
 * events; the handlers are thread-safe. {@link #start} blocks until every informer has listed.
 */
final class SchedulerInformers implements AutoCloseable {
  private final List<SharedIndexInformer<?>> informers;

  private SchedulerInformers(List<SharedIndexInformer<?>> informers) {
    this.informers = informers;
  }

  /** Starts the informers and waits until each has delivered its initial list. */
  static SchedulerInformers start(
      KubernetesClient client, ClusterEventHandlers handlers, Duration syncTimeout)
      throws InterruptedException, TimeoutException {
    SharedIndexInformer<Node> nodes = client.nodes().runnableInformer(0);
    nodes.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Node n) {
            handlers.onNodeAdd(n);
          }

          @Override
          public void onUpdate(Node oldNode, Node newNode) {
            handlers.onNodeUpdate(oldNode, newNode);
          }

          @Override
          public void onDelete(Node n, boolean finalStateUnknown) {
            handlers.onNodeDelete(n);
          }
        });
    SharedIndexInformer<Namespace> namespaces = client.namespaces().runnableInformer(0);
    namespaces.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Namespace ns) {
            handlers.onNamespace(ns.getMetadata().getName(), ns.getMetadata().getLabels());
          }

          @Override
          public void onUpdate(Namespace oldNs, Namespace ns) {
            if (!java.util.Objects.equals(
                oldNs.getMetadata().getLabels(), ns.getMetadata().getLabels())) {
              handlers.onNamespace(ns.getMetadata().getName(), ns.getMetadata().getLabels());
            }
          }

          @Override
          public void onDelete(Namespace ns, boolean finalStateUnknown) {
            handlers.onNamespace(ns.getMetadata().getName(), null);
          }
        });
    SharedIndexInformer<Pod> pods =
        client
            .pods()
            .inAnyNamespace()
            .withoutField("status.phase", "Succeeded")
            .withoutField("status.phase", "Failed")
            .runnableInformer(0);
    pods.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod p) {
            handlers.onPodAdd(p);
          }

          @Override
          public void onUpdate(Pod oldPod, Pod newPod) {
            handlers.onPodUpdate(oldPod, newPod);
          }

          @Override
          public void onDelete(Pod p, boolean finalStateUnknown) {
            handlers.onPodDelete(p);
          }
        });
    SchedulerInformers all = new SchedulerInformers(List.of(nodes, namespaces, pods));
    // Nodes and namespaces first: pods listed before their nodes would be queued, then fail.
    try {
      awaitSynced(List.of(nodes.start(), namespaces.start()), syncTimeout);
      awaitSynced(List.of(pods.start()), syncTimeout);
    } catch (InterruptedException | TimeoutException | RuntimeException e) {
      all.close();
      throw e;
    }
    return all;
  }

  private static void awaitSynced(
      List<java.util.concurrent.CompletionStage<Void>> started, Duration t)
      throws InterruptedException, TimeoutException {
    try {
      CompletableFuture.allOf(
              started.stream().map(s -> s.toCompletableFuture()).toArray(CompletableFuture[]::new))
          .get(t.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot list and watch the cluster: " + e.getCause().getMessage(), e.getCause());
    }
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::stop);
  }
}
