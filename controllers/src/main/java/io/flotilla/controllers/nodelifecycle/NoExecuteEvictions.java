package io.flotilla.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flotilla.controllers.runtime.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Taint-based eviction (upstream's {@code taint-eviction-controller}): a pod bound to a node with
 * NoExecute taints is deleted at once when it does not tolerate one of them, else when the shortest
 * matching {@code tolerationSeconds} has passed since the taint was added. Called from the node's
 * reconcile; asks to be called again at the next eviction time.
 */
final class NoExecuteEvictions {
  static final String NODE_INDEX = "spec.nodeName";

  private final NodeLifecycleController c;

  NoExecuteEvictions(NodeLifecycleController c) {
    this.c = c;
  }

  Result sync(Node node, Instant now) {
    List<Taint> noExecute =
        node.getSpec() == null || node.getSpec().getTaints() == null
            ? List.of()
            : node.getSpec().getTaints().stream()
                .filter(t -> Taints.NO_EXECUTE.equals(t.getEffect()))
                .toList();
    if (noExecute.isEmpty()) {
      return Result.done();
    }
    // Eviction time counts from the newest NoExecute taint, as upstream's processPodOnNode.
    Instant since =
        noExecute.stream()
            .map(t -> t.getTimeAdded() == null ? now : Instant.parse(t.getTimeAdded()))
            .max(Instant::compareTo)
            .orElse(now);
    Duration next = null;
    for (Pod p : podsOn(node.getMetadata().getName())) {
      if (p.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      List<Toleration> tols =
          p.getSpec().getTolerations() == null ? List.of() : p.getSpec().getTolerations();
      Optional<Duration> allowed = Taints.minTolerationTime(noExecute, tols);
      Duration wait;
      if (allowed.isEmpty()) {
        wait = Duration.ZERO;
      } else {
        Duration d = allowed.get();
        if (c.options.evictionCap() != null && d.compareTo(c.options.evictionCap()) > 0) {
          d = c.options.evictionCap();
        }
        if (d.equals(Taints.FOREVER)) {
          continue;
        }
        Instant at = since.plus(d);
        wait = at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
      }
      if (wait.isZero()) {
        evict(p);
      } else if (next == null || wait.compareTo(next) < 0) {
        next = wait;
      }
    }
    return next == null ? Result.done() : Result.requeueAfter(next);
  }

  private List<Pod> podsOn(String node) {
    if (c.podsByNodeIndexed) {
      try {
        return c.pods.getIndexer().byIndex(NODE_INDEX, node);
      } catch (IllegalArgumentException e) {
        // index missing: fall through
      }
    }
    return c.pods.getStore().list().stream()
        .filter(p -> node.equals(p.getSpec().getNodeName()))
        .toList();
  }

  private void evict(Pod p) {
    c.events.normal(
        p,
        "TaintManagerEviction",
        "Marking for deletion Pod %s/%s",
        p.getMetadata().getNamespace(),
        p.getMetadata().getName());
    try {
      c.ctx
          .client()
          .pods()
          .inNamespace(p.getMetadata().getNamespace())
          .withName(p.getMetadata().getName())
          .delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }
}
