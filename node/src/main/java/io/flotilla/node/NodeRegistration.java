package io.flotilla.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Registers nodes as kubelet does: create the Node with its status; when it already exists (an
 * agent restarting), adopt it, giving it a pod CIDR if it has none. Upstream's node-ipam controller
 * assigns spec.podCIDR; until Flotilla's controllers do, the agent fills it in from the template.
 *
 * <p>Threading: {@link #registerAll} runs the creates on the writer pool and waits for all.
 */
final class NodeRegistration {
  private NodeRegistration() {}

  /** Registers every template; returns the Nodes as stored, in template order. */
  static List<Node> registerAll(
      KubernetesClient client, List<Node> templates, ExecutorService writers) {
    List<Future<Node>> futures = new ArrayList<>();
    for (Node t : templates) {
      futures.add(writers.submit(() -> register(client, t)));
    }
    List<Node> out = new ArrayList<>();
    for (Future<Node> f : futures) {
      out.add(get(f, "registering nodes"));
    }
    return out;
  }

  static Node register(KubernetesClient client, Node template) {
    String name = template.getMetadata().getName();
    try {
      return client.nodes().resource(template).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw new IllegalStateException(
            "registering node " + name + " failed: " + e.getMessage(), e);
      }
    }
    Node existing = client.nodes().withName(name).get();
    String cidr = existing.getSpec() == null ? null : existing.getSpec().getPodCIDR();
    if ((cidr == null || cidr.isEmpty()) && template.getSpec().getPodCIDR() != null) {
      String want = template.getSpec().getPodCIDR();
      existing =
          client
              .nodes()
              .withName(name)
              .patch(
                  PatchContext.of(PatchType.JSON_MERGE),
                  "{\"spec\":{\"podCIDR\":\"" + want + "\",\"podCIDRs\":[\"" + want + "\"]}}");
    }
    return existing;
  }

  static void awaitAll(List<Future<?>> futures, String what) {
    for (Future<?> f : futures) {
      get(f, what);
    }
  }

  private static <T> T get(Future<T> f, String what) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + what, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
    }
  }
}
