package io.flotilla.controllers.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.flotilla.controllers.replicaset.ReplicaSetController;
import io.flotilla.controllers.testsupport.ControllerHarness;
import io.flotilla.controllers.testsupport.Crds;
import io.flotilla.controllers.testsupport.TestPods;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GarbageCollectorIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final ResourceDefinitionContext WIDGETS =
      new ResourceDefinitionContext.Builder()
          .withGroup("example.com")
          .withVersion("v1")
          .withPlural("widgets")
          .withKind("Widget")
          .withNamespaced(true)
          .build();
  private ControllerHarness h;
  private KubernetesClient k;

  @BeforeEach
  void start() {
    h =
        new ControllerHarness(
            ControllerHarness.of(GarbageCollector.NAME, GarbageCollector::create),
            ControllerHarness.of(ReplicaSetController.NAME, ReplicaSetController::create));
    k = h.client;
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private ConfigMap configMap(String name, HasMetadata owner, boolean block) {
    var b = new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata();
    if (owner != null) {
      b.editMetadata().withOwnerReferences(ref(owner, block)).endMetadata();
    }
    return k.configMaps().inNamespace("default").resource(b.build()).create();
  }

  private static io.fabric8.kubernetes.api.model.OwnerReference ref(
      HasMetadata owner, boolean block) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withBlockOwnerDeletion(block)
        .build();
  }

  private boolean gone(String cm) {
    return k.configMaps().inNamespace("default").withName(cm).get() == null;
  }

  @Test
  void deletesDependentsOfAnyKindIncludingCustomResourcesOnceTheirOwnerIsGone() {
    Crds.createWidgets(k);
    await().atMost(WAIT).until(() -> k.getApiResources("example.com/v1") != null);
    ConfigMap owner = configMap("owner", null, false);
    k.secrets()
        .inNamespace("default")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("dep-secret")
                .withOwnerReferences(ref(owner, false))
                .endMetadata()
                .build())
        .create();
    GenericKubernetesResource widget =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("example.com/v1")
            .withKind("Widget")
            .withNewMetadata()
            .withName("dep-widget")
            .withNamespace("default")
            .withOwnerReferences(ref(owner, false))
            .endMetadata()
            .build();
    k.genericKubernetesResources(WIDGETS).inNamespace("default").resource(widget).create();
    GenericKubernetesResource ownedByWidget =
        k.genericKubernetesResources(WIDGETS).inNamespace("default").withName("dep-widget").get();
    configMap("owned-by-widget", ownedByWidget, false);

    k.configMaps().inNamespace("default").withName("owner").delete();
    await()
        .atMost(WAIT)
        .until(() -> k.secrets().inNamespace("default").withName("dep-secret").get() == null);
    await()
        .atMost(WAIT)
        .until(
            () ->
                k.genericKubernetesResources(WIDGETS)
                        .inNamespace("default")
                        .withName("dep-widget")
                        .get()
                    == null);
    await().atMost(WAIT).until(() -> gone("owned-by-widget"));
  }

  @Test
  void deletesAnObjectWhoseOnlyOwnerNeverExisted() {
    ConfigMap ghost =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("ghost")
            .withUid("00000000-0000-0000-0000-000000000001")
            .endMetadata()
            .build();
    ghost.setApiVersion("v1");
    ghost.setKind("ConfigMap");
    configMap("dangling", ghost, false);
    await().atMost(WAIT).until(() -> gone("dangling"));
  }

  @Test
  void orphanPropagationKeepsDependentsAndRemovesTheirOwnerReference() {
    ConfigMap owner = configMap("owner", null, false);
    configMap("kept", owner, true);
    k.configMaps()
        .inNamespace("default")
        .withName("owner")
        .withPropagationPolicy(DeletionPropagation.ORPHAN)
        .delete();
    await().atMost(WAIT).until(() -> gone("owner"));
    ConfigMap kept = k.configMaps().inNamespace("default").withName("kept").get();
    assertThat(kept).isNotNull();
    assertThat(kept.getMetadata().getOwnerReferences()).isNullOrEmpty();
  }

  @Test
  void foregroundPropagationDeletesBlockingDependentsBeforeTheOwner() {
    List<String> deletions = new CopyOnWriteArrayList<>();
    var watch =
        h.cluster
            .client()
            .configMaps()
            .inNamespace("default")
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(ConfigMap o) {}

                  @Override
                  public void onUpdate(ConfigMap o, ConfigMap n) {}

                  @Override
                  public void onDelete(ConfigMap o, boolean unknown) {
                    deletions.add(o.getMetadata().getName());
                  }
                });
    ConfigMap owner = configMap("owner", null, false);
    configMap("child-1", owner, true);
    configMap("child-2", owner, true);
    k.configMaps()
        .inNamespace("default")
        .withName("owner")
        .withPropagationPolicy(DeletionPropagation.FOREGROUND)
        .delete();
    ConfigMap terminating = k.configMaps().inNamespace("default").withName("owner").get();
    assertThat(terminating.getMetadata().getFinalizers()).contains(GarbageCollector.FOREGROUND);
    await().atMost(WAIT).until(() -> deletions.contains("owner"));
    watch.close();
    assertThat(deletions).containsExactlyInAnyOrder("child-1", "child-2", "owner");
    assertThat(deletions.get(2)).isEqualTo("owner");
  }

  @Test
  void deletingAReplicaSetInTheBackgroundDeletesItsPods() {
    Map<String, String> labels = Map.of("app", "gc");
    k.apps()
        .replicaSets()
        .inNamespace("default")
        .resource(
            new ReplicaSetBuilder()
                .withNewMetadata()
                .withName("gc")
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .withMatchLabels(labels)
                .endSelector()
                .withTemplate(TestPods.template(labels, "nginx"))
                .endSpec()
                .build())
        .create();
    await()
        .atMost(WAIT)
        .until(
            () -> k.pods().inNamespace("default").withLabels(labels).list().getItems().size() == 2);
    k.apps().replicaSets().inNamespace("default").withName("gc").delete();
    await()
        .atMost(WAIT)
        .until(
            () -> k.pods().inNamespace("default").withLabels(labels).list().getItems().isEmpty());
  }
}
