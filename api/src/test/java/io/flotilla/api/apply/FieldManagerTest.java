package io.flotilla.api.apply;

import static io.flotilla.api.apply.ApplyFixtures.deployment;
import static io.flotilla.api.apply.ApplyFixtures.deployments;
import static io.flotilla.api.apply.ApplyFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldManagerTest {
  private static final String T1 = "2026-11-23T10:00:00Z";
  private static final String T2 = "2026-11-23T11:00:00Z";
  private final FieldManager fm = deployments();

  private static List<ManagedFieldsEntry> entries(JsonNode obj) {
    return ManagedFieldsEntry.decodeAll(obj.path("metadata").get("managedFields"));
  }

  private static ManagedFieldsEntry entry(JsonNode obj, String manager) {
    return entries(obj).stream().filter(e -> e.manager().equals(manager)).findFirst().orElseThrow();
  }

  @Test
  void applyingToNothingCreatesTheObjectOwnedByTheApplier() {
    ObjectNode out = fm.apply(null, deployment(2, "nginx:1"), "ci", false, T1);

    assertThat(out.path("spec").path("replicas").asInt()).isEqualTo(2);
    ManagedFieldsEntry e = entry(out, "ci");
    assertThat(e.operation()).isEqualTo("Apply");
    assertThat(e.apiVersion()).isEqualTo("apps/v1");
    assertThat(e.time()).isEqualTo(T1);
    assertThat(e.fields().contains(FieldPath.of("spec", "replicas"))).isTrue();
  }

  @Test
  void reapplyingTheSameConfigurationChangesNothingNotEvenTheTime() {
    ObjectNode first = fm.apply(null, deployment(2, "nginx:1"), "ci", false, T1);

    ObjectNode second = fm.apply(first, deployment(2, "nginx:1"), "ci", false, T2);

    assertThat(second).isEqualTo(first);
  }

  @Test
  void fieldsNoLongerAppliedAreRemovedWhenNobodyElseOwnsThem() {
    ObjectNode first = fm.apply(null, deployment(2, "nginx:1"), "ci", false, T1);
    ObjectNode config = deployment(2, "nginx:1");
    ((ObjectNode) config.get("metadata")).remove("labels");

    ObjectNode out = fm.apply(first, config, "ci", false, T2);

    assertThat(out.path("metadata").has("labels")).isFalse();
    assertThat(entry(out, "ci").fields().hasUnder(FieldPath.of("metadata", "labels"))).isFalse();
  }

  @Test
  void fieldsNoLongerAppliedStayWhenAnotherManagerOwnsThem() {
    ObjectNode first = fm.apply(null, deployment(2, "nginx:1"), "ci", false, T1);
    ObjectNode shared = fm.apply(first, deployment(2, "nginx:1"), "other", false, T1);
    ObjectNode config = deployment(2, "nginx:1");
    ((ObjectNode) config.get("metadata")).remove("labels");

    ObjectNode out = fm.apply(shared, config, "ci", false, T2);

    assertThat(out.path("metadata").path("labels").path("app").asText()).isEqualTo("web");
  }

  @Test
  void listMapItemsMergeByKeyKeepingItemsOthersAdded() {
    ObjectNode live = fm.apply(null, deployment(2, "nginx:1"), "ci", false, T1);
    ObjectNode sidecar = live.deepCopy();
    ((com.fasterxml.jackson.databind.node.ArrayNode) sidecar.at("/spec/template/spec/containers"))
        .addObject()
        .put("name", "log")
        .put("image", "busybox");
    fm.recordUpdate(live, sidecar, "injector", T1);

    ObjectNode out = fm.apply(sidecar, deployment(2, "nginx:2"), "ci", false, T2);

    JsonNode containers = out.at("/spec/template/spec/containers");
    assertThat(containers).hasSize(2);
    assertThat(containers.get(0).path("image").asText()).isEqualTo("nginx:2");
    assertThat(containers.get(1).path("name").asText()).isEqualTo("log");
    assertThat(entry(out, "injector").operation()).isEqualTo("Update");
  }

  @Test
  void changingAFieldAnotherManagerOwnsIsAConflictNamingManagerAndPath() {
    ObjectNode live = fm.apply(null, deployment(2, "nginx:1"), "ci", false, T1);
    ObjectNode scaled = live.deepCopy();
    ((ObjectNode) scaled.get("spec")).put("replicas", 5);
    fm.recordUpdate(live, scaled, "kubectl-scale", T2);

    assertThatThrownBy(() -> fm.apply(scaled, deployment(3, "nginx:1"), "ci", false, T2))
        .isInstanceOf(ApplyConflictException.class)
        .hasMessage(
            "Apply failed with 1 conflict: conflict with \"kubectl-scale\" using apps/v1:"
                + " .spec.replicas")
        .extracting(e -> ((ApplyConflictException) e).conflicts().getFirst().causeMessage())
        .isEqualTo("conflict with \"kubectl-scale\" using apps/v1");
  }

  @Test
  void applyingTheValueAnotherManagerSetSharesOwnershipWithoutConflict() {
    ObjectNode live = fm.apply(null, deployment(2, "nginx:1"), "ci", false, T1);
    ObjectNode scaled = live.deepCopy();
    ((ObjectNode) scaled.get("spec")).put("replicas", 5);
    fm.recordUpdate(live, scaled, "kubectl-scale", T2);

    ObjectNode out = fm.apply(scaled, deployment(5, "nginx:1"), "ci", false, T2);

    FieldPath replicas = FieldPath.of("spec", "replicas");
    assertThat(entry(out, "ci").fields().contains(replicas)).isTrue();
    assertThat(entry(out, "kubectl-scale").fields().contains(replicas)).isTrue();
  }

  @Test
  void forceTakesOwnershipFromTheOtherManager() {
    ObjectNode live = fm.apply(null, deployment(2, "nginx:1"), "ci", false, T1);
    ObjectNode scaled = live.deepCopy();
    ((ObjectNode) scaled.get("spec")).put("replicas", 5);
    fm.recordUpdate(live, scaled, "kubectl-scale", T2);

    ObjectNode out = fm.apply(scaled, deployment(3, "nginx:1"), "ci", true, T2);

    assertThat(out.path("spec").path("replicas").asInt()).isEqualTo(3);
    assertThat(entries(out)).extracting(ManagedFieldsEntry::manager).containsExactly("ci");
  }

  @Test
  void multipleConflictsAreListedByManager() {
    ObjectNode live = fm.apply(null, deployment(2, "nginx:1"), "ci", false, T1);
    ObjectNode edited = live.deepCopy();
    ((ObjectNode) edited.get("spec")).put("replicas", 5);
    ((ObjectNode) edited.at("/spec/template/spec/containers/0")).put("image", "nginx:9");
    fm.recordUpdate(live, edited, "kubectl-edit", T2);

    assertThatThrownBy(() -> fm.apply(edited, deployment(3, "nginx:2"), "ci", false, T2))
        .hasMessage(
            "Apply failed with 2 conflicts: conflicts with \"kubectl-edit\" using apps/v1:\n"
                + "- .spec.replicas\n"
                + "- .spec.template.spec.containers[name=\"web\"].image");
  }

  @Test
  void anUpdateOwnsWhatItChangedAndTakesItFromOthers() {
    ObjectNode created = deployment(2, "nginx:1");
    fm.recordUpdate(null, created, "kubectl-create", T1);
    ObjectNode next = created.deepCopy();
    ((ObjectNode) next.get("spec")).put("replicas", 4);

    fm.recordUpdate(created, next, "kubectl-edit", T2);

    ManagedFieldsEntry edit = entry(next, "kubectl-edit");
    assertThat(edit.fields().paths()).containsExactly(FieldPath.of("spec", "replicas"));
    assertThat(edit.time()).isEqualTo(T2);
    assertThat(entry(next, "kubectl-create").fields().contains(FieldPath.of("spec", "replicas")))
        .isFalse();
    assertThat(entry(next, "kubectl-create").time()).isEqualTo(T1);
  }

  @Test
  void anUpdateThatChangesNothingLeavesEntriesAlone() {
    ObjectNode created = deployment(2, "nginx:1");
    fm.recordUpdate(null, created, "kubectl-create", T1);
    ObjectNode same = created.deepCopy();

    fm.recordUpdate(created, same, "kubectl-edit", T2);

    assertThat(same).isEqualTo(created);
  }

  @Test
  void sendingAnEmptyListResetsManagedFieldsAndOmittingThemKeepsThem() {
    ObjectNode created = deployment(2, "nginx:1");
    fm.recordUpdate(null, created, "kubectl-create", T1);
    ObjectNode omitted = deployment(3, "nginx:1");
    ObjectNode reset = deployment(3, "nginx:1");
    ((ObjectNode) reset.get("metadata")).putArray("managedFields");

    fm.recordUpdate(created, omitted, "kubectl", T2);
    fm.recordUpdate(created, reset, "kubectl", T2);

    assertThat(entries(omitted))
        .extracting(ManagedFieldsEntry::manager)
        .containsExactly("kubectl-create", "kubectl");
    assertThat(reset.path("metadata").has("managedFields")).isFalse();
  }

  @Test
  void statusWritesAreRecordedWithTheirSubresource() {
    ObjectNode created = deployment(2, "nginx:1");
    deployments().recordUpdate(null, created, "kubectl-create", T1);
    ObjectNode withStatus = created.deepCopy();
    withStatus.putObject("status").put("replicas", 2);
    FieldManager status =
        new FieldManager(
            ApplyFixtures.DEPLOYMENT,
            "apps/v1",
            "status",
            p -> p.startsWith(FieldPath.of("status")));

    status.recordUpdate(created, withStatus, "controller", T2);

    ManagedFieldsEntry e = entry(withStatus, "controller");
    assertThat(e.subresource()).isEqualTo("status");
    assertThat(e.fields().paths()).containsExactly(FieldPath.of("status", "replicas"));
    assertThat(e.describe()).isEqualTo("\"controller\" with subresource \"status\" using apps/v1");
  }

  @Test
  void theFirstApplyToAnUntrackedObjectConflictsWithWhatWasThere() {
    ObjectNode untracked = deployment(2, "nginx:1");

    assertThatThrownBy(() -> fm.apply(untracked, deployment(3, "nginx:1"), "ci", false, T1))
        .hasMessageContaining("conflict with \"before-first-apply\" using apps/v1: .spec.replicas");
  }

  @Test
  void setsTakeTheUnionAndAtomicListsAreReplaced() {
    ObjectNode live =
        yaml(
            """
            metadata: {name: a, finalizers: [x]}
            spec:
              template:
                spec:
                  containers: [{name: c, image: i, args: [a, b]}]
            """);
    ObjectNode config =
        yaml(
            """
            metadata: {name: a, finalizers: [y]}
            spec:
              template:
                spec:
                  containers: [{name: c, args: [z]}]
            """);

    ObjectNode out = ApplyMerge.merge(live, config, ApplyFixtures.DEPLOYMENT);

    assertThat(out.at("/metadata/finalizers").toString()).isEqualTo("[\"x\",\"y\"]");
    assertThat(out.at("/spec/template/spec/containers/0/args").toString()).isEqualTo("[\"z\"]");
    assertThat(out.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("i");
  }

  @Test
  void theOldestOfMoreThanTenUpdatersAreFoldedIntoAncientChanges() {
    ObjectNode obj = deployment(0, "nginx:1");
    fm.recordUpdate(null, obj, "creator", "2026-11-23T00:00:00Z");
    for (int i = 1; i <= 12; i++) {
      ObjectNode next = obj.deepCopy();
      ((ObjectNode) next.get("metadata")).with("annotations").put("a" + i, "x");
      fm.recordUpdate(obj, next, "m" + i, "2026-11-23T00:00:%02dZ".formatted(i));
      obj = next;
    }

    List<ManagedFieldsEntry> all = entries(obj);

    assertThat(all).hasSize(10);
    ManagedFieldsEntry bucket = entry(obj, FieldManager.ANCIENT_CHANGES);
    assertThat(bucket.fields().contains(FieldPath.of("spec", "replicas"))).isTrue();
    assertThat(bucket.fields().contains(FieldPath.of("metadata", "annotations", "a3"))).isTrue();
    assertThat(all).extracting(ManagedFieldsEntry::manager).contains("m12").doesNotContain("m3");
  }

  @Test
  void aPortAppliedWithoutProtocolMatchesTheDefaultedLivePort() {
    FieldManager services =
        new FieldManager(
            ApplySchema.forKind(io.flotilla.api.GroupVersionKind.of("v1", "Service")),
            "v1",
            "",
            p -> !p.startsWith(FieldPath.of("status")));
    ObjectNode config = yaml("metadata: {name: s}\nspec: {ports: [{port: 80}]}");
    ObjectNode created = services.apply(null, config, "ci", false, T1);
    ObjectNode defaulted = created.deepCopy();
    ((ObjectNode) defaulted.at("/spec/ports/0")).put("protocol", "TCP").put("targetPort", 80);

    ObjectNode again = services.apply(defaulted, config, "ci", false, T2);

    assertThat(again).isEqualTo(defaulted);
  }

  @Test
  void anItemTheApplierNoLongerAppliesIsRemovedWhileOthersItemsStay() {
    ObjectNode two = deployment(2, "nginx:1");
    ((com.fasterxml.jackson.databind.node.ArrayNode) two.at("/spec/template/spec/containers"))
        .addObject()
        .put("name", "sidecar")
        .put("image", "envoy");
    ObjectNode live = fm.apply(null, two, "ci", false, T1);

    ObjectNode out = fm.apply(live, deployment(2, "nginx:1"), "ci", false, T2);

    assertThat(out.at("/spec/template/spec/containers").findValuesAsText("name"))
        .containsExactly("web");
  }
}
