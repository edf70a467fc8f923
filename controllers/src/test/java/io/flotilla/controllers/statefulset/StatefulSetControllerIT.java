package io.flotilla.controllers.statefulset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.flotilla.controllers.runtime.Pods;
import io.flotilla.controllers.testsupport.ClockedHarness;
import io.flotilla.controllers.testsupport.ControllerHarness;
import io.flotilla.controllers.testsupport.TestPods;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StatefulSetControllerIT {
  static ClockedHarness harness() {
    return ClockedHarness.system(
        ControllerHarness.of(StatefulSetController.NAME, StatefulSetController::create));
  }

  static StatefulSet sts(String name, int replicas, UnaryOperator<StatefulSetBuilder> more) {
    StatefulSetBuilder b =
        new StatefulSetBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .withReplicas(replicas)
            .withServiceName(name)
            .withNewSelector()
            .addToMatchLabels("app", name)
            .endSelector()
            .withTemplate(TestPods.template(Map.of("app", name), "db:1"))
            .endSpec();
    return more.apply(b).build();
  }

  static PersistentVolumeClaim claimTemplate(String name) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withNewResources()
        .addToRequests("storage", new Quantity("1Gi"))
        .endResources()
        .endSpec()
        .build();
  }

  static List<Pod> pods(ClockedHarness h, String app) {
    return h.client.pods().inNamespace("default").withLabel("app", app).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  static Set<String> names(ClockedHarness h, String app) {
    return pods(h, app).stream()
        .map(p -> p.getMetadata().getName())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  static void readyAll(ClockedHarness h, String app) {
    for (Pod p : pods(h, app)) {
      if (!Pods.isReady(p)) {
        try {
          h.ready(p);
        } catch (RuntimeException e) {
          // deleted meanwhile
        }
      }
    }
  }

  static StatefulSet get(ClockedHarness h, String name) {
    return h.client.apps().statefulSets().inNamespace("default").withName(name).get();
  }

  static void scale(ClockedHarness h, String name, int n) {
    h.retry(
        () ->
            h.client
                .apps()
                .statefulSets()
                .inNamespace("default")
                .withName(name)
                .edit(s -> new StatefulSetBuilder(s).editSpec().withReplicas(n).endSpec().build()));
  }

  @Test
  void scalesZeroToThreeToOneInOrderWithStableNamesAndClaims() {
    try (ClockedHarness h = harness()) {
      h.client
          .apps()
          .statefulSets()
          .resource(
              sts(
                  "web",
                  0,
                  b -> b.editSpec().withVolumeClaimTemplates(claimTemplate("data")).endSpec()))
          .create();
      h.until(() -> get(h, "web").getStatus() != null);
      assertThat(pods(h, "web")).isEmpty();
      scale(h, "web", 3);
      // OrderedReady: each pod appears only once the one before it is Running and Ready.
      for (int i = 0; i < 3; i++) {
        Set<String> want = new TreeSet<>();
        for (int j = 0; j <= i; j++) {
          want.add("web-" + j);
        }
        h.until(() -> names(h, "web").equals(want));
        assertThat(names(h, "web")).isEqualTo(want);
        h.ready(h.client.pods().inNamespace("default").withName("web-" + i).get());
      }
      h.until(() -> Integer.valueOf(3).equals(get(h, "web").getStatus().getReadyReplicas()));
      Pod one = h.client.pods().inNamespace("default").withName("web-1").get();
      assertThat(one.getMetadata().getLabels())
          .containsEntry(StatefulPods.POD_NAME_LABEL, "web-1")
          .containsEntry(StatefulPods.POD_INDEX_LABEL, "1");
      assertThat(one.getSpec().getHostname()).isEqualTo("web-1");
      assertThat(one.getSpec().getSubdomain()).isEqualTo("web");
      assertThat(one.getSpec().getVolumes())
          .anyMatch(
              v ->
                  v.getName().equals("data")
                      && v.getPersistentVolumeClaim().getClaimName().equals("data-web-1"));
      assertThat(h.client.persistentVolumeClaims().inNamespace("default").list().getItems())
          .extracting(c -> c.getMetadata().getName())
          .containsExactlyInAnyOrder("data-web-0", "data-web-1", "data-web-2");
      scale(h, "web", 1);
      List<Set<String>> down = new ArrayList<>();
      h.until(
          () -> {
            Set<String> now = names(h, "web");
            if (down.isEmpty() || !down.getLast().equals(now)) {
              down.add(now);
            }
            return now.equals(Set.of("web-0"))
                && Integer.valueOf(1).equals(get(h, "web").getStatus().getReplicas());
          });
      assertThat(down).noneMatch(s -> s.contains("web-2") && !s.contains("web-1"));
      assertThat(down).noneMatch(s -> s.equals(Set.of("web-0", "web-2")));
      // Retain (the default): claims stay.
      assertThat(h.client.persistentVolumeClaims().inNamespace("default").list().getItems())
          .hasSize(3);
    }
  }

  @Test
  void rollingUpdateWithPartitionReplacesFromTheHighestOrdinalDown() {
    try (ClockedHarness h = harness()) {
      h.client
          .apps()
          .statefulSets()
          .resource(
              sts(
                  "kv",
                  3,
                  b ->
                      b.editSpec()
                          .withNewUpdateStrategy()
                          .withType("RollingUpdate")
                          .withNewRollingUpdate()
                          .withPartition(1)
                          .endRollingUpdate()
                          .endUpdateStrategy()
                          .endSpec()))
          .create();
      h.until(
          () -> {
            readyAll(h, "kv");
            return get(h, "kv").getStatus() != null
                && Integer.valueOf(3).equals(get(h, "kv").getStatus().getReadyReplicas());
          });
      String first = get(h, "kv").getStatus().getCurrentRevision();
      h.retry(
          () ->
              h.client
                  .apps()
                  .statefulSets()
                  .inNamespace("default")
                  .withName("kv")
                  .edit(
                      s ->
                          new StatefulSetBuilder(s)
                              .editSpec()
                              .editTemplate()
                              .editSpec()
                              .editFirstContainer()
                              .withImage("db:2")
                              .endContainer()
                              .endSpec()
                              .endTemplate()
                              .endSpec()
                              .build()));
      List<String> replacedOrder = new ArrayList<>();
      h.until(
          () -> {
            for (Pod p : pods(h, "kv")) {
              if (p.getSpec().getContainers().getFirst().getImage().equals("db:2")
                  && !replacedOrder.contains(p.getMetadata().getName())) {
                replacedOrder.add(p.getMetadata().getName());
              }
            }
            readyAll(h, "kv");
            StatefulSet s = get(h, "kv");
            return Integer.valueOf(2).equals(s.getStatus().getUpdatedReplicas())
                && Integer.valueOf(3).equals(s.getStatus().getReadyReplicas());
          });
      assertThat(replacedOrder).containsExactly("kv-2", "kv-1");
      StatefulSet mid = get(h, "kv");
      assertThat(mid.getStatus().getCurrentRevision()).isEqualTo(first);
      assertThat(mid.getStatus().getUpdateRevision()).isNotEqualTo(first);
      assertThat(mid.getStatus().getCurrentReplicas()).isEqualTo(1);
      assertThat(
              h.client
                  .pods()
                  .inNamespace("default")
                  .withName("kv-0")
                  .get()
                  .getSpec()
                  .getContainers()
                  .getFirst()
                  .getImage())
          .isEqualTo("db:1");
      h.retry(
          () ->
              h.client
                  .apps()
                  .statefulSets()
                  .inNamespace("default")
                  .withName("kv")
                  .edit(
                      s ->
                          new StatefulSetBuilder(s)
                              .editSpec()
                              .editUpdateStrategy()
                              .editRollingUpdate()
                              .withPartition(0)
                              .endRollingUpdate()
                              .endUpdateStrategy()
                              .endSpec()
                              .build()));
      h.until(
          () -> {
            readyAll(h, "kv");
            StatefulSet s = get(h, "kv");
            return s.getStatus().getUpdateRevision().equals(s.getStatus().getCurrentRevision())
                && Integer.valueOf(3).equals(s.getStatus().getUpdatedReplicas());
          });
      assertThat(h.client.apps().controllerRevisions().inNamespace("default").list().getItems())
          .hasSize(2);
    }
  }

  @Test
  void parallelCreatesEveryPodAtOnceAndRetentionPolicySetsClaimOwners() {
    try (ClockedHarness h = harness()) {
      h.client
          .apps()
          .statefulSets()
          .resource(
              sts(
                  "par",
                  3,
                  b ->
                      b.editSpec()
                          .withPodManagementPolicy("Parallel")
                          .withVolumeClaimTemplates(claimTemplate("vol"))
                          .withNewPersistentVolumeClaimRetentionPolicy()
                          .withWhenDeleted("Delete")
                          .withWhenScaled("Delete")
                          .endPersistentVolumeClaimRetentionPolicy()
                          .endSpec()))
          .create();
      h.until(() -> names(h, "par").size() == 3);
      assertThat(pods(h, "par")).noneMatch(Pods::isReady);
      String uid = get(h, "par").getMetadata().getUid();
      h.until(
          () ->
              h.client.persistentVolumeClaims().inNamespace("default").list().getItems().stream()
                      .filter(
                          c ->
                              c.getMetadata().getOwnerReferences() != null
                                  && c.getMetadata().getOwnerReferences().stream()
                                      .anyMatch(r -> r.getUid().equals(uid)))
                      .count()
                  == 3);
      String podUid =
          h.client.pods().inNamespace("default").withName("par-2").get().getMetadata().getUid();
      scale(h, "par", 2);
      h.until(() -> names(h, "par").equals(Set.of("par-0", "par-1")));
      PersistentVolumeClaim scaledAway =
          h.client.persistentVolumeClaims().inNamespace("default").withName("vol-par-2").get();
      assertThat(scaledAway.getMetadata().getOwnerReferences())
          .extracting(r -> r.getKind() + "/" + r.getUid())
          .containsExactly("Pod/" + podUid);
    }
  }
}
