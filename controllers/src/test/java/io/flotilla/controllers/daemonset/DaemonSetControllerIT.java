package io.flotilla.controllers.daemonset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.flotilla.controllers.history.Revisions;
import io.flotilla.controllers.testsupport.ClockedHarness;
import io.flotilla.controllers.testsupport.ControllerHarness;
import io.flotilla.controllers.testsupport.TestPods;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DaemonSetControllerIT {
  static ClockedHarness harness() {
    return ClockedHarness.system(
        ControllerHarness.of(DaemonSetController.NAME, DaemonSetController::create));
  }

  static void node(ClockedHarness h, String name, Map<String, String> labels, boolean tainted) {
    NodeBuilder b =
        new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata();
    if (tainted) {
      b.withNewSpec()
          .addNewTaint()
          .withKey("dedicated")
          .withValue("db")
          .withEffect("NoSchedule")
          .endTaint()
          .endSpec();
    }
    h.client.nodes().resource(b.build()).create();
  }

  static DaemonSet ds(String name, UnaryOperator<DaemonSetBuilder> more) {
    DaemonSetBuilder b =
        new DaemonSetBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .withNewSelector()
            .addToMatchLabels("app", name)
            .endSelector()
            .withTemplate(TestPods.template(Map.of("app", name), "agent:1"))
            .endSpec();
    return more.apply(b).build();
  }

  static List<Pod> pods(ClockedHarness h, String app) {
    return h.client.pods().inNamespace("default").withLabel("app", app).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  static Set<String> podNodes(ClockedHarness h, String app) {
    return pods(h, app).stream()
        .map(p -> DaemonPods.nodeOf(p).orElse("?"))
        .collect(Collectors.toSet());
  }

  static DaemonSet get(ClockedHarness h, String name) {
    return h.client.apps().daemonSets().inNamespace("default").withName(name).get();
  }

  @Test
  void runsOnePodPerEligibleNodeAndFollowsNodesAddedRemovedAndRelabelled() {
    try (ClockedHarness h = harness()) {
      node(h, "n1", Map.of("disk", "ssd"), false);
      node(h, "n2", Map.of("disk", "ssd"), false);
      node(h, "n3", Map.of("disk", "ssd"), true);
      node(h, "n4", Map.of("disk", "hdd"), false);
      h.client
          .apps()
          .daemonSets()
          .resource(
              ds(
                  "agent",
                  b ->
                      b.editSpec()
                          .editTemplate()
                          .editSpec()
                          .addToNodeSelector("disk", "ssd")
                          .endSpec()
                          .endTemplate()
                          .endSpec()))
          .create();
      h.until(
          () -> podNodes(h, "agent").equals(Set.of("n1", "n2")) && pods(h, "agent").size() == 2);
      Pod p = pods(h, "agent").getFirst();
      assertThat(p.getSpec().getNodeName()).isNull();
      assertThat(
              p.getSpec()
                  .getAffinity()
                  .getNodeAffinity()
                  .getRequiredDuringSchedulingIgnoredDuringExecution()
                  .getNodeSelectorTerms()
                  .getFirst()
                  .getMatchFields()
                  .getFirst()
                  .getKey())
          .isEqualTo("metadata.name");
      assertThat(p.getSpec().getTolerations())
          .anyMatch(
              t ->
                  t.getKey().equals("node.kubernetes.io/unreachable")
                      && t.getEffect().equals("NoExecute"))
          .anyMatch(t -> t.getKey().equals("node.kubernetes.io/unschedulable"));
      assertThat(p.getMetadata().getLabels()).containsKey(Revisions.HASH_LABEL);
      h.until(
          () ->
              get(h, "agent").getStatus() != null
                  && Integer.valueOf(2)
                      .equals(get(h, "agent").getStatus().getDesiredNumberScheduled())
                  && Integer.valueOf(2)
                      .equals(get(h, "agent").getStatus().getCurrentNumberScheduled()));
      node(h, "n5", Map.of("disk", "ssd"), false);
      h.until(() -> podNodes(h, "agent").equals(Set.of("n1", "n2", "n5")));
      h.client.nodes().withName("n1").delete();
      h.until(() -> podNodes(h, "agent").equals(Set.of("n2", "n5")));
      h.retry(
          () ->
              h.client
                  .nodes()
                  .withName("n2")
                  .edit(
                      n ->
                          new NodeBuilder(n)
                              .editMetadata()
                              .addToLabels("disk", "hdd")
                              .endMetadata()
                              .build()));
      h.until(() -> podNodes(h, "agent").equals(Set.of("n5")));
      h.until(
          () -> Integer.valueOf(1).equals(get(h, "agent").getStatus().getDesiredNumberScheduled()));
      pods(h, "agent").forEach(h::ready);
      h.until(() -> Integer.valueOf(1).equals(get(h, "agent").getStatus().getNumberAvailable()));
      assertThat(get(h, "agent").getStatus().getObservedGeneration())
          .isEqualTo(get(h, "agent").getMetadata().getGeneration());
    }
  }

  @Test
  void rollingUpdateKeepsWithinMaxUnavailableAndRecordsRevisions() {
    try (ClockedHarness h = harness()) {
      for (String n : List.of("a", "b", "c")) {
        node(h, n, Map.of(), false);
      }
      h.client.apps().daemonSets().resource(ds("roll", b -> b)).create();
      h.until(() -> pods(h, "roll").size() == 3);
      pods(h, "roll").forEach(h::ready);
      h.until(() -> Integer.valueOf(3).equals(get(h, "roll").getStatus().getNumberAvailable()));
      h.retry(
          () ->
              h.client
                  .apps()
                  .daemonSets()
                  .inNamespace("default")
                  .withName("roll")
                  .edit(
                      d ->
                          new DaemonSetBuilder(d)
                              .editSpec()
                              .editTemplate()
                              .editSpec()
                              .editFirstContainer()
                              .withImage("agent:2")
                              .endContainer()
                              .endSpec()
                              .endTemplate()
                              .endSpec()
                              .build()));
      AtomicInteger worstReady = new AtomicInteger(3);
      h.until(
          () -> {
            List<Pod> now = pods(h, "roll");
            long ready = now.stream().filter(io.flotilla.controllers.runtime.Pods::isReady).count();
            worstReady.accumulateAndGet((int) ready, Math::min);
            now.stream()
                .filter(p -> !io.flotilla.controllers.runtime.Pods.isReady(p))
                .forEach(
                    p -> {
                      try {
                        h.ready(p);
                      } catch (RuntimeException e) {
                        // deleted meanwhile
                      }
                    });
            DaemonSet d = get(h, "roll");
            return d.getStatus() != null
                && Integer.valueOf(3).equals(d.getStatus().getUpdatedNumberScheduled())
                && Integer.valueOf(3).equals(d.getStatus().getNumberAvailable())
                && now.stream()
                    .allMatch(
                        p -> p.getSpec().getContainers().getFirst().getImage().equals("agent:2"));
          });
      assertThat(worstReady.get()).isGreaterThanOrEqualTo(2);
      List<ControllerRevision> revs =
          h.client.apps().controllerRevisions().inNamespace("default").list().getItems();
      assertThat(revs)
          .extracting(ControllerRevision::getRevision)
          .containsExactlyInAnyOrder(1L, 2L);
    }
  }

  @Test
  void maxSurgeStartsTheNewPodBeforeDeletingTheOld() {
    try (ClockedHarness h = harness()) {
      node(h, "s1", Map.of(), false);
      h.client
          .apps()
          .daemonSets()
          .resource(
              ds(
                  "surge",
                  b ->
                      b.editSpec()
                          .withNewUpdateStrategy()
                          .withType("RollingUpdate")
                          .withNewRollingUpdate()
                          .withMaxSurge(new IntOrString(1))
                          .withMaxUnavailable(new IntOrString(0))
                          .endRollingUpdate()
                          .endUpdateStrategy()
                          .endSpec()))
          .create();
      h.until(() -> pods(h, "surge").size() == 1);
      Pod old = h.ready(pods(h, "surge").getFirst());
      h.until(() -> Integer.valueOf(1).equals(get(h, "surge").getStatus().getNumberAvailable()));
      h.retry(
          () ->
              h.client
                  .apps()
                  .daemonSets()
                  .inNamespace("default")
                  .withName("surge")
                  .edit(
                      d ->
                          new DaemonSetBuilder(d)
                              .editSpec()
                              .editTemplate()
                              .editSpec()
                              .editFirstContainer()
                              .withImage("agent:2")
                              .endContainer()
                              .endSpec()
                              .endTemplate()
                              .endSpec()
                              .build()));
      h.until(() -> pods(h, "surge").size() == 2);
      assertThat(pods(h, "surge"))
          .anyMatch(p -> p.getMetadata().getName().equals(old.getMetadata().getName()));
      Pod fresh =
          pods(h, "surge").stream()
              .filter(p -> !p.getMetadata().getName().equals(old.getMetadata().getName()))
              .findFirst()
              .orElseThrow();
      h.ready(fresh);
      h.until(
          () ->
              pods(h, "surge").size() == 1
                  && pods(h, "surge")
                      .getFirst()
                      .getMetadata()
                      .getName()
                      .equals(fresh.getMetadata().getName()));
    }
  }

  @Test
  void onDeleteReplacesAPodWithTheNewTemplateOnlyWhenItIsDeleted() {
    try (ClockedHarness h = harness()) {
      node(h, "o1", Map.of(), false);
      h.client
          .apps()
          .daemonSets()
          .resource(
              ds(
                  "od",
                  b ->
                      b.editSpec()
                          .withNewUpdateStrategy()
                          .withType("OnDelete")
                          .endUpdateStrategy()
                          .endSpec()))
          .create();
      h.until(() -> pods(h, "od").size() == 1);
      Pod old = pods(h, "od").getFirst();
      h.retry(
          () ->
              h.client
                  .apps()
                  .daemonSets()
                  .inNamespace("default")
                  .withName("od")
                  .edit(
                      d ->
                          new DaemonSetBuilder(d)
                              .editSpec()
                              .editTemplate()
                              .editSpec()
                              .editFirstContainer()
                              .withImage("agent:2")
                              .endContainer()
                              .endSpec()
                              .endTemplate()
                              .endSpec()
                              .build()));
      h.until(
          () ->
              get(h, "od").getStatus() != null
                  && Integer.valueOf(0)
                      .equals(get(h, "od").getStatus().getUpdatedNumberScheduled()));
      assertThat(pods(h, "od"))
          .extracting(p -> p.getMetadata().getName())
          .containsExactly(old.getMetadata().getName());
      h.client.pods().resource(old).delete();
      h.until(
          () ->
              pods(h, "od").size() == 1
                  && pods(h, "od")
                      .getFirst()
                      .getSpec()
                      .getContainers()
                      .getFirst()
                      .getImage()
                      .equals("agent:2"));
    }
  }
}
