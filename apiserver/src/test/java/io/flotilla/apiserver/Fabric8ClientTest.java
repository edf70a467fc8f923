package io.flotilla.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real fabric8 client against the in-process server, unchanged. */
class Fabric8ClientTest {
  static TestCluster c;
  static KubernetesClient k;

  @BeforeAll
  static void start() throws Exception {
    c = new TestCluster();
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(c.url())
            .withNamespace("default")
            .withRequestRetryBackoffLimit(0)
            .build();
    k = new KubernetesClientBuilder().withConfig(config).build();
  }

  @AfterAll
  static void stop() {
    k.close();
    c.close();
  }

  private static ConfigMap cm(String name, Map<String, String> labels) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .addToData("k", "v")
        .build();
  }

  @Test
  void createsReadsUpdatesAndDeletesConfigMaps() {
    k.configMaps().resource(cm("crud", Map.of("a", "b"))).create();
    ConfigMap got = k.configMaps().withName("crud").get();
    assertThat(got.getData()).containsEntry("k", "v");
    got.getData().put("k", "w");
    ConfigMap updated = k.configMaps().resource(got).update();
    assertThat(updated.getData()).containsEntry("k", "w");
    ConfigMap edited =
        k.configMaps()
            .withName("crud")
            .edit(
                x -> {
                  x.getMetadata().getLabels().put("edited", "yes");
                  return x;
                });
    assertThat(edited.getMetadata().getLabels()).containsEntry("edited", "yes");
    assertThat(k.configMaps().withName("crud").delete()).hasSize(1);
    assertThat(k.configMaps().withName("crud").get()).isNull();
  }

  @Test
  void createOrReplaceReplacesAfterAlreadyExists() {
    k.configMaps().resource(cm("cor", Map.of())).create();
    ConfigMap replaced =
        k.configMaps().resource(cm("cor", Map.of("v", "2"))).createOr(x -> x.update());
    assertThat(replaced.getMetadata().getLabels()).containsEntry("v", "2");
  }

  @Test
  void surfacesConflictOnStaleUpdate() {
    ConfigMap created = k.configMaps().resource(cm("stale", Map.of())).create();
    ConfigMap a = k.configMaps().withName("stale").get();
    a.getData().put("k", "1");
    k.configMaps().resource(a).update();
    created.getData().put("k", "2");
    assertThatThrownBy(() -> k.configMaps().resource(created).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  @Test
  void createsAndDeletesNamespaces() {
    k.namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("f8").endMetadata().build())
        .create();
    assertThat(k.namespaces().withName("f8").get().getStatus().getPhase()).isEqualTo("Active");
    k.namespaces().withName("f8").delete();
    assertThat(k.namespaces().withName("f8").get().getStatus().getPhase()).isEqualTo("Terminating");
    assertThat(k.namespaces().list().getItems())
        .extracting(n -> n.getMetadata().getName())
        .contains("default", "kube-system", "kube-public", "kube-node-lease");
  }

  @Test
  void paginatesAndSelectsByLabel() {
    k.namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("f8pages").endMetadata().build())
        .create();
    for (int i = 0; i < 5; i++) {
      k.configMaps()
          .inNamespace("f8pages")
          .resource(cm("p" + i, Map.of("even", Boolean.toString(i % 2 == 0))))
          .create();
    }
    ConfigMapList page =
        k.configMaps().inNamespace("f8pages").list(new ListOptionsBuilder().withLimit(2L).build());
    assertThat(page.getItems()).hasSize(2);
    assertThat(page.getMetadata().getContinue()).isNotEmpty();
    ConfigMapList rest =
        k.configMaps()
            .inNamespace("f8pages")
            .list(
                new ListOptionsBuilder()
                    .withLimit(10L)
                    .withContinue(page.getMetadata().getContinue())
                    .build());
    assertThat(rest.getItems()).hasSize(3);
    assertThat(k.configMaps().inNamespace("f8pages").withLabel("even", "true").list().getItems())
        .hasSize(3);
    assertThat(k.configMaps().inNamespace("f8pages").withLabelIn("even", "false").list().getItems())
        .hasSize(2);
    assertThat(k.configMaps().inNamespace("f8pages").withLabel("even", "true").delete()).hasSize(3);
    assertThat(k.configMaps().inNamespace("f8pages").list().getItems()).hasSize(2);
  }

  @Test
  void watchesOverWebSocket() {
    k.namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("f8watch").endMetadata().build())
        .create();
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Watch w =
        k.configMaps()
            .inNamespace("f8watch")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, ConfigMap resource) {
                    seen.add(action + " " + resource.getMetadata().getName());
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      k.configMaps().inNamespace("f8watch").resource(cm("w1", Map.of())).create();
      k.configMaps().inNamespace("f8watch").withName("w1").delete();
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 2);
    }
    assertThat(seen).containsExactly("ADDED w1", "DELETED w1");
  }

  @Test
  void informerSyncsAndSeesChanges() {
    k.namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("f8inf").endMetadata().build())
        .create();
    k.configMaps().inNamespace("f8inf").resource(cm("pre", Map.of())).create();
    List<String> seen = new CopyOnWriteArrayList<>();
    SharedIndexInformer<ConfigMap> inf =
        k.configMaps()
            .inNamespace("f8inf")
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(ConfigMap obj) {
                    seen.add("add " + obj.getMetadata().getName());
                  }

                  @Override
                  public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                    seen.add("update " + newObj.getMetadata().getName());
                  }

                  @Override
                  public void onDelete(ConfigMap obj, boolean unknown) {
                    seen.add("delete " + obj.getMetadata().getName());
                  }
                });
    try {
      await().atMost(Duration.ofSeconds(20)).until(inf::hasSynced);
      k.configMaps().inNamespace("f8inf").resource(cm("post", Map.of())).create();
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.contains("add post"));
      assertThat(seen).contains("add pre");
    } finally {
      inf.close();
    }
  }

  @Test
  void waitsUntilAConditionHolds() {
    k.configMaps().resource(cm("waited", Map.of())).create();
    ConfigMap ready =
        k.configMaps()
            .withName("waited")
            .waitUntilCondition(
                x -> x != null && x.getData().containsKey("k"),
                20,
                java.util.concurrent.TimeUnit.SECONDS);
    assertThat(ready.getMetadata().getName()).isEqualTo("waited");
  }
}
