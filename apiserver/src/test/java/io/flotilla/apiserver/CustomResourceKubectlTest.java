package io.flotilla.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.apiserver.KubectlFixture.Result;
import io.flotilla.apiserver.discovery.OpenApiHandler;
import io.flotilla.store.RangeRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/** The real kubectl working with a CRD and its custom resources, from apply to delete. */
@EnabledIf("io.flotilla.apiserver.KubectlFixture#installed")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CustomResourceKubectlTest {
  static TestCluster c;
  @TempDir static Path home;
  static Path kubeconfig;
  static KubectlFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    AtomicReference<TestCluster> self = new AtomicReference<>();
    c =
        new TestCluster(
            b ->
                b.nonResource(
                    OpenApiHandler.path(), new OpenApiHandler(() -> self.get().registry)));
    self.set(c);
    fixture = new KubectlFixture(home, c.url());
    kubeconfig = fixture.kubeconfig();
    Files.writeString(home.resolve("crd.yaml"), Widgets.CRD);
  }

  @AfterAll
  static void stop() {
    c.close();
  }

  static Result kubectl(String... args) throws IOException, InterruptedException {
    return fixture.run(args);
  }

  static Path manifest(String name, String yaml) throws IOException {
    return fixture.manifest(name, yaml);
  }

  static String widget(String name, int size) {
    return """
        apiVersion: stable.example.com/v1
        kind: Widget
        metadata:
          name: %s
        spec:
          size: %d
          color: red
        """
        .formatted(name, size);
  }

  @Test
  @Order(1)
  void appliesTheCrdAndWaitsForItToBeEstablished() throws Exception {
    Result applied = kubectl("apply", "-f", home.resolve("crd.yaml").toString());
    assertThat(applied.exit()).as(applied.err()).isZero();
    assertThat(applied.out())
        .contains(
            "customresourcedefinition.apiextensions.k8s.io/widgets.stable.example.com created");
    Result waited =
        kubectl(
            "wait",
            "--for",
            "condition=established",
            "crd/widgets.stable.example.com",
            "--timeout=30s");
    assertThat(waited.exit()).as(waited.err()).isZero();
    assertThat(waited.out()).contains("condition met");
  }

  @Test
  @Order(2)
  void appliesAWidgetAndPrintsTheCrdsColumns() throws Exception {
    Result applied = kubectl("apply", "-f", manifest("w1.yaml", widget("w1", 3)).toString());
    assertThat(applied.exit()).as(applied.err()).isZero();
    assertThat(applied.out()).contains("widget.stable.example.com/w1 created");

    Result get = kubectl("get", "widgets");
    assertThat(get.exit()).as(get.err()).isZero();
    String[] lines = get.out().split("\n");
    assertThat(lines[0]).matches("NAME\\s+SIZE\\s+COLOR\\s+AGE\\s*");
    assertThat(lines[1]).matches("w1\\s+3\\s+red\\s+\\S+\\s*");

    Result byShortName = kubectl("get", "wd", "-o", "name");
    assertThat(byShortName.out().trim()).isEqualTo("widget.stable.example.com/w1");
    Result all = kubectl("get", "all");
    assertThat(all.exit()).as(all.err()).isZero();
    assertThat(all.out()).contains("widget.stable.example.com/w1");
  }

  @Test
  @Order(3)
  void rejectsABadWidgetNamingTheField() throws Exception {
    Result bad = kubectl("apply", "-f", manifest("bad.yaml", widget("bad", 0)).toString());
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.err()).contains("spec.size").contains("should be greater than or equal to 1");
    Result unknown =
        kubectl(
            "apply",
            "-f",
            manifest("unknown.yaml", widget("unknown", 2) + "  shape: round\n").toString());
    assertThat(unknown.exit()).isNotZero();
    assertThat(unknown.err()).contains("unknown field \"spec.shape\"");
    assertThat(kubectl("get", "widgets", "-o", "name").out()).doesNotContain("bad", "unknown");
  }

  @Test
  @Order(4)
  void explainsTheKindFromItsSchema() throws Exception {
    Result explain = kubectl("explain", "widget.spec");
    assertThat(explain.exit()).as(explain.err()).isZero();
    assertThat(explain.out())
        .contains("KIND:       Widget")
        .contains("What the widget should be.")
        .contains("size\t<integer>")
        .contains("How big the widget is.");
  }

  @Test
  @Order(5)
  void patchesTheStatusSubresourceAndScales() throws Exception {
    Result patched =
        kubectl(
            "patch",
            "widget",
            "w1",
            "--type",
            "merge",
            "--subresource",
            "status",
            "-p",
            "{\"status\":{\"phase\":\"Ready\"}}");
    assertThat(patched.exit()).as(patched.err()).isZero();
    assertThat(kubectl("get", "widget", "w1", "-o", "jsonpath={.status.phase}").out())
        .isEqualTo("Ready");
    Result scaled = kubectl("scale", "widget", "w1", "--replicas=4");
    assertThat(scaled.exit()).as(scaled.err()).isZero();
    assertThat(kubectl("get", "widget", "w1", "-o", "jsonpath={.spec.replicas}").out())
        .isEqualTo("4");
  }

  @Test
  @Order(6)
  void deletingTheCrdDeletesItsWidgets() throws Exception {
    kubectl("create", "namespace", "other");
    Result other =
        kubectl("apply", "-n", "other", "-f", manifest("w2.yaml", widget("w2", 1)).toString());
    assertThat(other.exit()).as(other.err()).isZero();

    Result deleted = kubectl("delete", "crd", "widgets.stable.example.com", "--timeout=30s");
    assertThat(deleted.exit()).as(deleted.err()).isZero();
    assertThat(kubectl("get", "crd", "-o", "name").out()).doesNotContain("widgets");
    assertThat(
            c.store
                .range(RangeRequest.prefix("/registry/stable.example.com/widgets/").withCountOnly())
                .join()
                .count())
        .isZero();
    Result gone = kubectl("get", "widgets");
    assertThat(gone.exit()).isNotZero();
    // kubectl still has the resource in its discovery cache, so the server's 404 shows.
    assertThat(gone.err()).contains("NotFound").contains("Resource=widgets");
  }
}
