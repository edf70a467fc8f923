package io.flotilla.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.flotilla.apiserver.Widgets.Widget;
import io.flotilla.apiserver.Widgets.WidgetSpec;
import io.flotilla.apiserver.Widgets.WidgetStatus;
import io.flotilla.apiserver.discovery.OpenApiHandler;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Custom resources from a CRD through the real fabric8 client: typed, generic and informers. */
class CustomResourceFabric8Test {
  static TestCluster c;
  static KubernetesClient k;

  @BeforeAll
  static void start() throws Exception {
    startWith(b -> b);
  }

  /** Starts the cluster (with /openapi/v3 and {@code extra}) and establishes the widget CRD. */
  static void startWith(Function<ApiServer.Builder, ApiServer.Builder> extra) throws Exception {
    AtomicReference<TestCluster> self = new AtomicReference<>();
    c =
        new TestCluster(
            b ->
                extra.apply(
                    b.nonResource(
                        OpenApiHandler.path(), new OpenApiHandler(() -> self.get().registry))));
    self.set(c);
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(c.url())
            .withNamespace("default")
            .withRequestRetryBackoffLimit(0)
            .build();
    k = new KubernetesClientBuilder().withConfig(config).build();
    CustomResourceDefinition crd =
        k.apiextensions()
            .v1()
            .customResourceDefinitions()
            .load(new ByteArrayInputStream(Widgets.CRD.getBytes(StandardCharsets.UTF_8)))
            .item();
    k.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    k.apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName("widgets.stable.example.com")
        .waitUntilCondition(CustomResourceFabric8Test::established, 30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    k.close();
    c.close();
  }

  static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(x -> x.getType().equals("Established") && x.getStatus().equals("True"));
  }

  private static Widget widget(String name, int size) {
    Widget w = new Widget();
    w.setMetadata(new ObjectMetaBuilder().withName(name).build());
    w.setSpec(new WidgetSpec());
    w.getSpec().size = size;
    return w;
  }

  @Test
  void anEstablishedCrdHasItsNamesStoredVersionAndCleanupFinalizer() {
    CustomResourceDefinition crd =
        k.apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName("widgets.stable.example.com")
            .get();
    assertThat(crd.getStatus().getAcceptedNames().getKind()).isEqualTo("Widget");
    assertThat(crd.getStatus().getAcceptedNames().getShortNames()).containsExactly("wd");
    assertThat(crd.getStatus().getStoredVersions()).containsExactly("v1");
    assertThat(crd.getStatus().getConditions())
        .anyMatch(x -> x.getType().equals("NamesAccepted") && x.getReason().equals("NoConflicts"));
    assertThat(crd.getMetadata().getFinalizers())
        .contains("customresourcecleanup.apiextensions.k8s.io");
    assertThat(crd.getSpec().getNames().getListKind()).isEqualTo("WidgetList");
  }

  @Test
  void typedClientCreatesDefaultsReadsUpdatesAndDeletes() {
    var widgets = k.resources(Widget.class);
    Widget created = widgets.resource(widget("typed", 3)).create();
    assertThat(created.getSpec().color).as("defaulted from the schema").isEqualTo("blue");
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

    Widget got = widgets.withName("typed").get();
    got.getSpec().size = 4;
    Widget updated = widgets.resource(got).update();
    assertThat(updated.getSpec().size).isEqualTo(4);
    assertThat(updated.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(widgets.list().getItems())
        .extracting(w -> w.getMetadata().getName())
        .contains("typed");

    widgets.withName("typed").delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> widgets.withName("typed").get() == null);
  }

  @Test
  void genericClientFindsTheKindThroughDiscoveryAndPatches() {
    var generic = k.genericKubernetesResources("stable.example.com/v1", "Widget");
    GenericKubernetesResource g = new GenericKubernetesResource();
    g.setApiVersion("stable.example.com/v1");
    g.setKind("Widget");
    g.setMetadata(new ObjectMetaBuilder().withName("generic").build());
    g.setAdditionalProperties(Map.of("spec", Map.of("size", 2, "color", "red")));
    generic.resource(g).create();

    GenericKubernetesResource patched =
        generic
            .withName("generic")
            .patch(
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                    io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                "{\"spec\":{\"size\":7}}");
    assertThat(patched.<Integer>get("spec", "size")).isEqualTo(7);
    assertThat(patched.<String>get("spec", "color")).isEqualTo("red");
    assertThat(generic.list().getItems())
        .extracting(x -> x.getMetadata().getName())
        .contains("generic");
    generic.withName("generic").delete();
  }

  @Test
  void anInformerSeesAddsUpdatesAndDeletes() {
    List<String> seen = new CopyOnWriteArrayList<>();
    SharedIndexInformer<Widget> informer =
        k.resources(Widget.class)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Widget w) {
                    seen.add("add " + w.getMetadata().getName());
                  }

                  @Override
                  public void onUpdate(Widget before, Widget after) {
                    if (!before
                        .getMetadata()
                        .getResourceVersion()
                        .equals(after.getMetadata().getResourceVersion())) {
                      seen.add(
                          "update " + after.getMetadata().getName() + " " + after.getSpec().size);
                    }
                  }

                  @Override
                  public void onDelete(Widget w, boolean unknown) {
                    seen.add("delete " + w.getMetadata().getName());
                  }
                });
    try {
      var widgets = k.resources(Widget.class);
      widgets.resource(widget("watched", 1)).create();
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("add watched"));
      widgets
          .withName("watched")
          .edit(
              w -> {
                w.getSpec().size = 9;
                return w;
              });
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("update watched 9"));
      widgets.withName("watched").delete();
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("delete watched"));
    } finally {
      informer.close();
    }
  }

  @Test
  void anInvalidWidgetIsRejectedNamingTheField() {
    assertThatThrownBy(() -> k.resources(Widget.class).resource(widget("tiny", 0)).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getStatus().getDetails().getCauses())
                  .anyMatch(cause -> cause.getField().equals("spec.size"));
            });
    assertThat(k.resources(Widget.class).withName("tiny").get()).isNull();
  }

  @Test
  void statusIsWrittenOnlyThroughTheStatusSubresource() {
    var widgets = k.resources(Widget.class);
    Widget w = widget("stat", 2);
    w.setStatus(new WidgetStatus());
    w.getStatus().phase = "Ignored";
    Widget created = widgets.resource(w).create();
    assertThat(created.getStatus()).as("status is dropped on create").isNull();

    created.setStatus(new WidgetStatus());
    created.getStatus().phase = "Ready";
    Widget afterStatus = widgets.resource(created).updateStatus();
    assertThat(afterStatus.getStatus().phase).isEqualTo("Ready");
    assertThat(afterStatus.getMetadata().getGeneration())
        .as("status writes keep generation")
        .isEqualTo(1L);

    afterStatus.getStatus().phase = "Overwritten";
    afterStatus.getSpec().size = 5;
    Widget main = widgets.resource(afterStatus).update();
    assertThat(main.getStatus().phase).as("main writes ignore status").isEqualTo("Ready");
    assertThat(main.getSpec().size).isEqualTo(5);
    widgets.withName("stat").delete();
  }

  @Test
  void theScaleSubresourceUsesTheCrdsPaths() throws Exception {
    var widgets = k.resources(Widget.class);
    Widget w = widget("scaled", 1);
    w.getSpec().replicas = 2;
    Widget created = widgets.resource(w).create();
    created.setStatus(new WidgetStatus());
    created.getStatus().replicas = 2;
    created.getStatus().selector = "app=scaled";
    widgets.resource(created).updateStatus();

    Scale scale = widgets.withName("scaled").scale();
    assertThat(scale.getSpec().getReplicas()).isEqualTo(2);
    assertThat(scale.getStatus().getReplicas()).isEqualTo(2);
    assertThat(scale.getStatus().getSelector()).isEqualTo("app=scaled");

    widgets.withName("scaled").scale(5);
    assertThat(widgets.withName("scaled").get().getSpec().replicas).isEqualTo(5);
    widgets.withName("scaled").delete();
  }

  @Test
  void unknownFieldsArePrunedWarnedOrRejectedByFieldValidation() throws Exception {
    String body =
        "{\"apiVersion\":\"stable.example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"%s\"},"
            + "\"spec\":{\"size\":1,\"foo\":true}}";
    String path = "/apis/stable.example.com/v1/namespaces/default/widgets";
    var strict = c.send("POST", path + "?fieldValidation=Strict", body.formatted("strict"));
    assertThat(strict.statusCode()).isEqualTo(400);
    assertThat(c.json(strict).path("message").asText())
        .isEqualTo("strict decoding error: unknown field \"spec.foo\"");

    var warned = c.send("POST", path, body.formatted("warned"));
    assertThat(warned.statusCode()).isEqualTo(201);
    assertThat(warned.headers().allValues("Warning"))
        .anyMatch(
            h ->
                h.contains("unknown field \\\"spec.foo\\\"")
                    || h.contains("unknown field \"spec.foo\""));
    assertThat(c.json(warned).path("spec").has("foo")).isFalse();

    var ignored = c.send("POST", path + "?fieldValidation=Ignore", body.formatted("ignored"));
    assertThat(ignored.statusCode()).isEqualTo(201);
    assertThat(ignored.headers().allValues("Warning")).isEmpty();
    JsonNode stored = c.json(c.send("GET", path + "/ignored", null));
    assertThat(stored.path("spec").has("foo")).isFalse();
  }

  @Test
  void strategicMergePatchIsUnsupportedForCustomResources() throws Exception {
    String path = "/apis/stable.example.com/v1/namespaces/default/widgets";
    c.send("POST", path, Widgets.widget("smp", 1));
    var r =
        c.send(
            "PATCH",
            path + "/smp",
            "{\"spec\":{\"size\":2}}",
            "Content-Type",
            "application/strategic-merge-patch+json");
    assertThat(r.statusCode()).isEqualTo(415);
    var json =
        c.send(
            "PATCH",
            path + "/smp",
            "[{\"op\":\"replace\",\"path\":\"/spec/size\",\"value\":3}]",
            "Content-Type",
            "application/json-patch+json");
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(c.json(json).path("spec").path("size").asInt()).isEqualTo(3);
  }

  @Test
  void discoveryListsTheKindWithShortNamesCategoriesAndSubresources() throws Exception {
    JsonNode list = c.json(c.send("GET", "/apis/stable.example.com/v1", null));
    assertThat(list.path("resources").findValuesAsText("name"))
        .contains("widgets", "widgets/status", "widgets/scale");
    JsonNode widgets = list.path("resources").get(0);
    assertThat(widgets.path("shortNames").get(0).asText()).isEqualTo("wd");
    assertThat(widgets.path("categories").get(0).asText()).isEqualTo("all");
    var aggregated =
        c.send(
            "GET",
            "/apis",
            null,
            "Accept",
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    assertThat(aggregated.body()).contains("\"stable.example.com\"");
  }

  @Test
  void aSecondCrdClaimingTheSameNamesIsNotAccepted() {
    String clash =
        Widgets.CRD
            .replace("name: widgets.stable.example.com", "name: gadgets.stable.example.com")
            .replace("plural: widgets", "plural: gadgets");
    CustomResourceDefinition crd =
        k.apiextensions()
            .v1()
            .customResourceDefinitions()
            .load(new ByteArrayInputStream(clash.getBytes(StandardCharsets.UTF_8)))
            .item();
    k.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    CustomResourceDefinition refused =
        k.apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName("gadgets.stable.example.com")
            .waitUntilCondition(
                x ->
                    x != null
                        && x.getStatus() != null
                        && x.getStatus().getConditions().stream()
                            .anyMatch(
                                cond ->
                                    cond.getType().equals("NamesAccepted")
                                        && cond.getStatus().equals("False")),
                30,
                TimeUnit.SECONDS);
    assertThat(established(refused)).isFalse();
    assertThat(c.registry.byResource("stable.example.com", "v1", "gadgets")).isEmpty();
    k.apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName("gadgets.stable.example.com")
        .delete();
  }
}
