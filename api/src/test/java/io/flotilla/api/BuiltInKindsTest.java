package io.flotilla.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BuiltInKindsTest {

  private static final List<ResourceType> ALL = BuiltInKinds.all();
  private static final Set<String> KNOWN_VERBS = Set.copyOf(BuiltInKinds.ALL_VERBS);

  static Stream<ResourceType> kinds() {
    return ALL.stream();
  }

  static Stream<Arguments> shortNames() {
    return Stream.of(
        Arguments.of("", "pods", List.of("po")),
        Arguments.of("", "services", List.of("svc")),
        Arguments.of("apps", "deployments", List.of("deploy")),
        Arguments.of("apps", "replicasets", List.of("rs")),
        Arguments.of("apps", "statefulsets", List.of("sts")),
        Arguments.of("apps", "daemonsets", List.of("ds")),
        Arguments.of("", "namespaces", List.of("ns")),
        Arguments.of("", "nodes", List.of("no")),
        Arguments.of("", "configmaps", List.of("cm")),
        Arguments.of("", "serviceaccounts", List.of("sa")),
        Arguments.of("", "persistentvolumeclaims", List.of("pvc")),
        Arguments.of("", "persistentvolumes", List.of("pv")),
        Arguments.of("", "endpoints", List.of("ep")),
        Arguments.of("", "events", List.of("ev")),
        Arguments.of("events.k8s.io", "events", List.of("ev")),
        Arguments.of("", "replicationcontrollers", List.of("rc")),
        Arguments.of("", "resourcequotas", List.of("quota")),
        Arguments.of("", "limitranges", List.of("limits")),
        Arguments.of("batch", "cronjobs", List.of("cj")),
        Arguments.of("batch", "jobs", List.of()),
        Arguments.of("autoscaling", "horizontalpodautoscalers", List.of("hpa")),
        Arguments.of("networking.k8s.io", "ingresses", List.of("ing")),
        Arguments.of("networking.k8s.io", "networkpolicies", List.of("netpol")),
        Arguments.of("policy", "poddisruptionbudgets", List.of("pdb")),
        Arguments.of("scheduling.k8s.io", "priorityclasses", List.of("pc")),
        Arguments.of("storage.k8s.io", "storageclasses", List.of("sc")),
        Arguments.of("apiextensions.k8s.io", "customresourcedefinitions", List.of("crd", "crds")),
        Arguments.of("", "secrets", List.of()),
        Arguments.of("rbac.authorization.k8s.io", "roles", List.of()));
  }

  @ParameterizedTest(name = "{0}/{1} -> {2}")
  @MethodSource("shortNames")
  void usesUpstreamShortNames(String group, String plural, List<String> expected) {
    List<ResourceType> matches =
        ALL.stream().filter(t -> t.group().equals(group) && t.plural().equals(plural)).toList();

    assertThat(matches).isNotEmpty();
    assertThat(matches).allSatisfy(t -> assertThat(t.shortNames()).isEqualTo(expected));
  }

  @Test
  void putsUpstreamWorkloadsAndOnlyThemInCategoryAll() {
    Set<String> inAll =
        ALL.stream()
            .filter(t -> t.categories().contains("all"))
            .map(t -> t.group() + "/" + t.plural())
            .collect(Collectors.toSet());

    assertThat(inAll)
        .containsExactlyInAnyOrder(
            "/pods",
            "/services",
            "/replicationcontrollers",
            "apps/deployments",
            "apps/replicasets",
            "apps/statefulsets",
            "apps/daemonsets",
            "batch/jobs",
            "batch/cronjobs",
            "autoscaling/horizontalpodautoscalers");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void everyKindHasKnownVerbsAndSingularName(ResourceType t) {
    assertThat(t.verbs()).isNotEmpty().allSatisfy(v -> assertThat(KNOWN_VERBS).contains(v));
    assertThat(t.verbs()).doesNotHaveDuplicates().isSorted();
    assertThat(t.singular()).isEqualTo(t.kind().toLowerCase(java.util.Locale.ROOT));
    assertThat(t.storageResource()).endsWith("/" + t.plural());
  }

  @Test
  void pluralsAndKindsAreUniquePerGroupVersion() {
    Set<String> plurals = new HashSet<>();
    Set<String> kinds = new HashSet<>();
    for (ResourceType t : ALL) {
      assertThat(plurals.add(t.apiVersion() + "/" + t.plural())).as(t.plural()).isTrue();
      assertThat(kinds.add(t.apiVersion() + "/" + t.kind())).as(t.kind()).isTrue();
    }
  }

  @Test
  void restrictsVerbsWhereUpstreamDoes() {
    Map<String, List<String>> verbs =
        ALL.stream()
            .collect(
                Collectors.toMap(
                    t -> t.group() + "/" + t.plural(), ResourceType::verbs, (a, b) -> a));

    assertThat(verbs.get("/bindings")).containsExactly("create");
    assertThat(verbs.get("authorization.k8s.io/selfsubjectaccessreviews"))
        .containsExactly("create");
    assertThat(verbs.get("authorization.k8s.io/selfsubjectrulesreviews")).containsExactly("create");
    assertThat(verbs.get("authentication.k8s.io/selfsubjectreviews")).containsExactly("create");
    assertThat(verbs.get("/namespaces")).doesNotContain("deletecollection").contains("delete");
    assertThat(verbs.get("/pods")).isEqualTo(BuiltInKinds.ALL_VERBS);
  }

  @Test
  void sharesStorageBetweenVersionsAndGroupsOfOneResource() {
    Map<String, Set<String>> storageByResource =
        ALL.stream()
            .collect(
                Collectors.groupingBy(
                    ResourceType::storageResource,
                    Collectors.mapping(ResourceType::apiVersion, Collectors.toSet())));

    assertThat(storageByResource.get("autoscaling/horizontalpodautoscalers"))
        .containsExactlyInAnyOrder("autoscaling/v1", "autoscaling/v2");
    assertThat(storageByResource.get("core/events"))
        .containsExactlyInAnyOrder("v1", "events.k8s.io/v1");
    assertThat(storageByResource.get("apps/deployments")).containsExactly("apps/v1");
  }

  @Test
  void registryFindsKindsByResourceAndByKind() {
    KindRegistry registry = KindRegistry.builtIn();

    assertThat(registry.byResource("apps", "v1", "deployments"))
        .get()
        .extracting(ResourceType::kind)
        .isEqualTo("Deployment");
    assertThat(
            registry.byKind(new GroupVersionKind("autoscaling", "v2", "HorizontalPodAutoscaler")))
        .isPresent();
    assertThat(registry.all()).hasSize(ALL.size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void everyKindPrintsNameFirstAndOneCellPerColumn(ResourceType t) throws Exception {
    var empty = new ObjectMapper().readTree("{\"metadata\":{\"name\":\"x\"}}");
    List<TableColumn> columns = t.behavior().tableColumns();

    List<Object> cells = t.behavior().tableCells(empty, Instant.parse("2024-01-01T00:00:00Z"));

    TableColumn name =
        columns.stream().filter(c -> c.name().equals("Name")).findFirst().orElseThrow();
    assertThat(name.format()).isEqualTo("name");
    if (!t.plural().equals("events")) {
      assertThat(columns.get(0)).isEqualTo(name);
    }
    assertThat(cells).hasSize(columns.size()).doesNotContainNull();
    assertThat(cells.get(columns.indexOf(name))).isEqualTo("x");
    assertThat(columns).allSatisfy(c -> assertThat(c.priority()).isBetween(0, 1));
  }
}
