package io.flotilla.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.flotilla.controllers.testsupport.ClockedHarness;
import io.flotilla.controllers.testsupport.ControllerHarness;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeLifecycleControllerIT {
  static ClockedHarness harness() {
    return ClockedHarness.manual(
        ControllerHarness.of(NodeLifecycleController.NAME, NodeLifecycleController::create));
  }

  static void nodeWithLease(ClockedHarness h, String name) {
    h.client
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    setReady(h, name, "True");
    if (h.client.namespaces().withName(NodeLifecycleController.LEASE_NAMESPACE).get() == null) {
      h.client
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(NodeLifecycleController.LEASE_NAMESPACE)
                  .endMetadata()
                  .build())
          .create();
    }
    h.client
        .leases()
        .inNamespace(NodeLifecycleController.LEASE_NAMESPACE)
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity(name)
                .withLeaseDurationSeconds(40)
                .withRenewTime(h.clock.now().atZone(ZoneOffset.UTC))
                .endSpec()
                .build())
        .create();
  }

  static void renew(ClockedHarness h, String name) {
    h.retry(
        () ->
            h.client
                .leases()
                .inNamespace(NodeLifecycleController.LEASE_NAMESPACE)
                .withName(name)
                .edit(
                    l ->
                        new LeaseBuilder(l)
                            .editSpec()
                            .withRenewTime(h.clock.now().atZone(ZoneOffset.UTC))
                            .endSpec()
                            .build()));
  }

  static void setReady(ClockedHarness h, String name, String status) {
    String now = h.clock.now().toString();
    h.retry(
        () -> {
          Node n = h.client.nodes().withName(name).get();
          h.client
              .nodes()
              .resource(
                  new NodeBuilder(n)
                      .withNewStatus()
                      .addNewCondition()
                      .withType("Ready")
                      .withStatus(status)
                      .withReason(status.equals("True") ? "KubeletReady" : "KubeletNotReady")
                      .withLastHeartbeatTime(now)
                      .withLastTransitionTime(now)
                      .endCondition()
                      .endStatus()
                      .build())
              .updateStatus();
        });
  }

  static Pod boundPod(ClockedHarness h, String name, String node, Toleration... tolerations) {
    return h.client
        .pods()
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .withTolerations(tolerations)
                .addNewContainer()
                .withName("c")
                .withImage("x")
                .endContainer()
                .endSpec()
                .build())
        .create();
  }

  static boolean evicted(ClockedHarness h, String pod) {
    Pod p = h.client.pods().inNamespace("default").withName(pod).get();
    return p == null || p.getMetadata().getDeletionTimestamp() != null;
  }

  static List<Taint> taints(ClockedHarness h, String node) {
    Node n = h.client.nodes().withName(node).get();
    return n.getSpec() == null || n.getSpec().getTaints() == null
        ? List.of()
        : n.getSpec().getTaints();
  }

  static boolean controllerSeesRenewal(ClockedHarness h, String node, java.time.Instant at) {
    return h.manager
        .context()
        .map(
            c -> {
              io.fabric8.kubernetes.api.model.coordination.v1.Lease l =
                  c.informers()
                      .forType(io.fabric8.kubernetes.api.model.coordination.v1.Lease.class)
                      .getStore()
                      .getByKey(NodeLifecycleController.LEASE_NAMESPACE + "/" + node);
              return l != null
                  && l.getSpec().getRenewTime() != null
                  && !l.getSpec().getRenewTime().toInstant().isBefore(at);
            })
        .orElse(false);
  }

  static String readyStatus(ClockedHarness h, String node) {
    return NodeLifecycleController.ready(h.client.nodes().withName(node).get()).getStatus();
  }

  @Test
  void aSilentNodeBecomesUnknownIsTaintedUnreachableAndItsPodsAreEvictedByToleration() {
    try (ClockedHarness h = harness()) {
      nodeWithLease(h, "n1");
      boundPod(
          h,
          "short",
          "n1",
          new TolerationBuilder()
              .withKey(Taints.UNREACHABLE)
              .withOperator("Exists")
              .withEffect("NoExecute")
              .withTolerationSeconds(60L)
              .build());
      Pod dflt = boundPod(h, "default", "n1");
      boundPod(
          h,
          "forever",
          "n1",
          new TolerationBuilder()
              .withKey(Taints.UNREACHABLE)
              .withOperator("Exists")
              .withEffect("NoExecute")
              .build());
      assertThat(dflt.getSpec().getTolerations())
          .anyMatch(
              t ->
                  Taints.UNREACHABLE.equals(t.getKey())
                      && Long.valueOf(300).equals(t.getTolerationSeconds()));
      h.until(() -> h.manualClock().pending() > 0);
      h.manualClock().advance(Duration.ofSeconds(30));
      renew(h, "n1");
      java.time.Instant renewed = h.clock.now();
      // The driven clock must not run ahead of the controller's view of the renewal: with real
      // time the informer lags by milliseconds, here 30 s could pass before it sees the write.
      h.until(() -> controllerSeesRenewal(h, "n1", renewed));
      h.manualClock().advance(Duration.ofSeconds(30));
      // Renewed 30 s ago: still Ready (a late look at the renewal only moves the deadline on).
      assertThat(readyStatus(h, "n1")).isEqualTo("True");
      h.until(
          () -> {
            h.manualClock().advance(Duration.ofSeconds(2));
            return "Unknown".equals(readyStatus(h, "n1"));
          });
      assertThat(Duration.between(renewed, h.clock.now()))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(40));
      assertThat(NodeLifecycleController.ready(h.client.nodes().withName("n1").get()).getMessage())
          .isEqualTo("Kubelet stopped posting node status.");
      h.until(() -> taints(h, "n1").size() == 2);
      assertThat(taints(h, "n1"))
          .extracting(t -> t.getKey() + ":" + t.getEffect())
          .containsExactlyInAnyOrder(
              Taints.UNREACHABLE + ":NoSchedule", Taints.UNREACHABLE + ":NoExecute");
      java.time.Instant added =
          java.time.Instant.parse(
              taints(h, "n1").stream()
                  .filter(t -> t.getEffect().equals("NoExecute"))
                  .findFirst()
                  .orElseThrow()
                  .getTimeAdded());
      assertThat(evicted(h, "short")).isFalse();
      h.manualClock().advance(Duration.between(h.clock.now(), added.plusSeconds(61)));
      h.until(() -> evicted(h, "short"));
      assertThat(evicted(h, "default")).isFalse();
      h.manualClock().advance(Duration.between(h.clock.now(), added.plusSeconds(301)));
      h.until(() -> evicted(h, "default"));
      assertThat(evicted(h, "forever")).isFalse();
      // Recovery: the node reports Ready again; the taints go.
      renew(h, "n1");
      setReady(h, "n1", "True");
      h.until(() -> taints(h, "n1").isEmpty());
      assertThat(evicted(h, "forever")).isFalse();
    }
  }

  @Test
  void aNotReadyNodeIsTaintedNotReadyAndAnIntolerablePodGoesAtOnce() {
    try (ClockedHarness h = harness()) {
      nodeWithLease(h, "n2");
      boundPod(h, "plain", "n2");
      setReady(h, "n2", "False");
      h.until(
          () ->
              taints(h, "n2").stream()
                  .anyMatch(
                      t ->
                          t.getKey().equals(Taints.NOT_READY)
                              && t.getEffect().equals("NoExecute")));
      assertThat(evicted(h, "plain")).isFalse();
      h.retry(
          () ->
              h.client
                  .nodes()
                  .withName("n2")
                  .edit(
                      n ->
                          new NodeBuilder(n)
                              .editSpec()
                              .addNewTaint()
                              .withKey("dedicated")
                              .withValue("db")
                              .withEffect("NoExecute")
                              .endTaint()
                              .endSpec()
                              .build()));
      h.until(() -> evicted(h, "plain"));
      h.until(() -> h.hasEvent("default", "plain", "TaintManagerEviction"));
    }
  }
}
