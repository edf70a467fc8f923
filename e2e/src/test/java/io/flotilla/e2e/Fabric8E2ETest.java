package io.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The fabric8 client against the real jar: every kind, pagination, watches, conflicts, 410. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Fabric8E2ETest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  @TempDir static Path dir;
  private FlotillaProcess server;
  private KubernetesClient client;

  @BeforeAll
  void start() throws Exception {
    server = FlotillaProcess.start(dir.resolve("data"), "--compaction-interval=1s");
    client = DurabilityE2ETest.client(server.kubeconfig());
  }

  @AfterAll
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void namespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  @TestFactory
  Stream<DynamicTest> everyKindSurvivesCreateGetUpdateListAndDelete() throws Exception {
    namespace("e2e-kinds");
    List<HasMetadata> objects;
    try (InputStream in = getClass().getResourceAsStream("/every-kind.yaml")) {
      objects = client.load(in).items();
    }
    assertThat(objects).hasSizeGreaterThanOrEqualTo(37);
    return objects.stream()
        .map(
            o ->
                DynamicTest.dynamicTest(
                    o.getApiVersion() + " " + o.getKind(),
                    () -> {
                      var resource = client.resource(o).inNamespace("e2e-kinds");
                      HasMetadata created = resource.create();
                      assertThat(created.getMetadata().getUid()).isNotBlank();
                      assertThat(created.getMetadata().getResourceVersion()).isNotBlank();
                      HasMetadata fetched = resource.get();
                      assertThat(fetched.getMetadata().getUid())
                          .isEqualTo(created.getMetadata().getUid());
                      HasMetadata edited =
                          resource.edit(
                              x -> {
                                x.getMetadata().setLabels(Map.of("e2e", "edited"));
                                return x;
                              });
                      assertThat(edited.getMetadata().getLabels()).containsEntry("e2e", "edited");
                      assertThat(Long.parseLong(edited.getMetadata().getResourceVersion()))
                          .isGreaterThan(
                              Long.parseLong(created.getMetadata().getResourceVersion()));
                      var listed =
                          client
                              .genericKubernetesResources(o.getApiVersion(), o.getKind())
                              .inAnyNamespace()
                              .withLabel("e2e", "edited")
                              .list()
                              .getItems();
                      assertThat(listed)
                          .extracting(x -> x.getMetadata().getName())
                          .contains(o.getMetadata().getName());
                      assertThat(resource.delete()).isNotEmpty();
                      await().atMost(WAIT).until(() -> resource.get() == null);
                    }));
  }

  @Test
  void listsPageThroughEveryObjectExactlyOnce() {
    namespace("e2e-pages");
    for (int i = 0; i < 25; i++) {
      client
          .configMaps()
          .inNamespace("e2e-pages")
          .resource(
              new ConfigMapBuilder().withNewMetadata().withName("page-" + i).endMetadata().build())
          .create();
    }
    Set<String> seen = new HashSet<>();
    List<Integer> pageSizes = new ArrayList<>();
    String token = null;
    do {
      ConfigMapList page =
          client
              .configMaps()
              .inNamespace("e2e-pages")
              .list(new ListOptionsBuilder().withLimit(10L).withContinue(token).build());
      pageSizes.add(page.getItems().size());
      page.getItems().forEach(cm -> assertThat(seen.add(cm.getMetadata().getName())).isTrue());
      token = page.getMetadata().getContinue();
    } while (token != null && !token.isEmpty());
    assertThat(pageSizes).containsExactly(10, 10, 5);
    assertThat(seen).hasSize(25);
  }

  @Test
  void aWatchFromAResourceVersionDeliversWhatHappenedAfterIt() throws Exception {
    namespace("e2e-watch");
    String rv =
        client.configMaps().inNamespace("e2e-watch").list().getMetadata().getResourceVersion();
    for (int i = 0; i < 3; i++) {
      client
          .configMaps()
          .inNamespace("e2e-watch")
          .resource(
              new ConfigMapBuilder().withNewMetadata().withName("w-" + i).endMetadata().build())
          .create();
    }
    List<String> events = new CopyOnWriteArrayList<>();
    try (Watch w =
        client
            .configMaps()
            .inNamespace("e2e-watch")
            .watch(
                new ListOptionsBuilder().withResourceVersion(rv).build(),
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, ConfigMap cm) {
                    events.add(action + " " + cm.getMetadata().getName());
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      await().atMost(WAIT).until(() -> events.size() >= 3);
    }
    assertThat(events).containsExactly("ADDED w-0", "ADDED w-1", "ADDED w-2");
  }

  @Test
  void aStaleUpdateIsAConflict() {
    ConfigMap cm =
        client
            .configMaps()
            .inNamespace("default")
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("stale")
                    .endMetadata()
                    .addToData("v", "1")
                    .build())
            .create();
    client
        .configMaps()
        .inNamespace("default")
        .withName("stale")
        .edit(
            x -> {
              x.getData().put("v", "2");
              return x;
            });
    cm.getData().put("v", "3");
    assertThatThrownBy(() -> client.configMaps().inNamespace("default").resource(cm).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(client.configMaps().inNamespace("default").withName("stale").get().getData())
        .containsEntry("v", "2");
  }

  @Test
  void aContinueTokenOlderThanTheCompactionIsGone() {
    namespace("e2e-compact");
    for (int i = 0; i < 6; i++) {
      client
          .configMaps()
          .inNamespace("e2e-compact")
          .resource(
              new ConfigMapBuilder().withNewMetadata().withName("c-" + i).endMetadata().build())
          .create();
    }
    ConfigMapList first =
        client
            .configMaps()
            .inNamespace("e2e-compact")
            .list(new ListOptionsBuilder().withLimit(2L).build());
    String token = first.getMetadata().getContinue();
    assertThat(token).isNotBlank();
    // The server compacts every second up to what it saw a second before: keep writing until the
    // revision of the first page has been compacted away.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              client
                  .configMaps()
                  .inNamespace("default")
                  .resource(
                      new ConfigMapBuilder()
                          .withNewMetadata()
                          .withGenerateName("tick-")
                          .endMetadata()
                          .build())
                  .create();
              assertThatThrownBy(
                      () ->
                          client
                              .configMaps()
                              .inNamespace("e2e-compact")
                              .list(
                                  new ListOptionsBuilder()
                                      .withLimit(2L)
                                      .withContinue(token)
                                      .build()))
                  .isInstanceOfSatisfying(
                      KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(410));
            });
  }

  @Test
  void aSharedInformerStaysInSyncThroughAServerRestart() throws Exception {
    namespace("e2e-informer");
    Map<String, String> cache = new ConcurrentHashMap<>();
    SharedIndexInformer<ConfigMap> informer =
        client
            .configMaps()
            .inNamespace("e2e-informer")
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(ConfigMap cm) {
                    cache.put(cm.getMetadata().getName(), cm.getMetadata().getResourceVersion());
                  }

                  @Override
                  public void onUpdate(ConfigMap old, ConfigMap cm) {
                    cache.put(cm.getMetadata().getName(), cm.getMetadata().getResourceVersion());
                  }

                  @Override
                  public void onDelete(ConfigMap cm, boolean unknown) {
                    cache.remove(cm.getMetadata().getName());
                  }
                });
    try {
      client
          .configMaps()
          .inNamespace("e2e-informer")
          .resource(
              new ConfigMapBuilder().withNewMetadata().withName("before").endMetadata().build())
          .create();
      await().atMost(WAIT).until(() -> cache.containsKey("before"));

      assertThat(server.stop()).isIn(0, 143);
      server.restart();

      try (KubernetesClient other = DurabilityE2ETest.client(server.kubeconfig())) {
        other
            .configMaps()
            .inNamespace("e2e-informer")
            .resource(
                new ConfigMapBuilder().withNewMetadata().withName("after").endMetadata().build())
            .create();
        other.configMaps().inNamespace("e2e-informer").withName("before").delete();
      }
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> cache.containsKey("after") && !cache.containsKey("before"));
      assertThat(informer.getStore().list())
          .extracting(cm -> cm.getMetadata().getName())
          .containsExactly("after");
    } finally {
      informer.close();
    }
  }
}
