package io.flotilla.scheduler.plugins.volumebinding;

import static io.flotilla.scheduler.testutil.TestNodes.node;
import static io.flotilla.scheduler.testutil.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.flotilla.scheduler.cache.Snapshot;
import io.flotilla.scheduler.framework.Code;
import io.flotilla.scheduler.framework.CycleState;
import io.flotilla.scheduler.framework.NodeInfo;
import io.flotilla.scheduler.framework.PodInfo;
import io.flotilla.scheduler.framework.Status;
import io.flotilla.scheduler.testutil.PluginHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VolumeBindingTest {
  /** An in-memory {@link Volumes}: claims bind when {@code bindOnSelect} says so. */
  static final class MemoryVolumes implements Volumes {
    final Map<String, PersistentVolumeClaim> claims = new HashMap<>();
    final Map<String, PersistentVolume> volumes = new HashMap<>();
    final Map<String, StorageClass> classes = new HashMap<>();
    final List<String> selected = new ArrayList<>();
    boolean bindOnSelect = true;

    @Override
    public PersistentVolumeClaim claim(String namespace, String name) {
      return claims.get(namespace + "/" + name);
    }

    @Override
    public PersistentVolume volume(String name) {
      return volumes.get(name);
    }

    @Override
    public Collection<PersistentVolume> volumes() {
      return volumes.values();
    }

    @Override
    public StorageClass storageClass(String name) {
      return classes.get(name);
    }

    @Override
    public void bindVolume(PersistentVolume volume, PersistentVolumeClaim claim) {
      selected.add(volume.getMetadata().getName() + ">" + claim.getMetadata().getName());
    }

    @Override
    public void selectNode(PersistentVolumeClaim claim, String nodeName) {
      selected.add(claim.getMetadata().getName() + "@" + nodeName);
    }

    @Override
    public boolean awaitBound(String namespace, String name, Duration timeout) {
      return bindOnSelect;
    }
  }

  static MemoryVolumes cluster() {
    MemoryVolumes v = new MemoryVolumes();
    v.classes.put("wffc", sc("wffc", "WaitForFirstConsumer"));
    v.classes.put("now", sc("now", "Immediate"));
    v.volumes.put("pv-n1", pv("pv-n1", "n1"));
    v.volumes.put("pv-free", pv("pv-free", null));
    v.claims.put("default/bound-n1", claim("bound-n1", "now", "pv-n1", false));
    v.claims.put("default/bound-free", claim("bound-free", "now", "pv-free", false));
    v.claims.put("default/bound-gone", claim("bound-gone", "now", "pv-gone", false));
    v.claims.put("default/waiting", claim("waiting", "wffc", null, false));
    v.claims.put("default/immediate", claim("immediate", "now", null, false));
    v.claims.put("default/deleting", claim("deleting", "now", null, true));
    // A local class without provisioner: only existing volumes serve it.
    StorageClass local = sc("local", "WaitForFirstConsumer");
    local.setProvisioner("kubernetes.io/no-provisioner");
    v.classes.put("local", local);
    PersistentVolume small = pv("local-n1-small", "n1");
    small.getSpec().setStorageClassName("local");
    small.getSpec().setCapacity(Map.of("storage", new Quantity("1Gi")));
    PersistentVolume big = pv("local-n1-big", "n1");
    big.getSpec().setStorageClassName("local");
    big.getSpec().setCapacity(Map.of("storage", new Quantity("10Gi")));
    v.volumes.put("local-n1-small", small);
    v.volumes.put("local-n1-big", big);
    PersistentVolumeClaim wants = claim("local-claim", "local", null, false);
    wants
        .getSpec()
        .setResources(
            new VolumeResourceRequirementsBuilder()
                .addToRequests("storage", new Quantity("2Gi"))
                .build());
    v.claims.put("default/local-claim", wants);
    return v;
  }

  static StorageClass sc(String name, String mode) {
    return new StorageClassBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withProvisioner("example.com/x")
        .withVolumeBindingMode(mode)
        .build();
  }

  static PersistentVolume pv(String name, String hostname) {
    PersistentVolumeBuilder b =
        new PersistentVolumeBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .endSpec();
    if (hostname != null) {
      b.editSpec()
          .withNewNodeAffinity()
          .withNewRequired()
          .withNodeSelectorTerms(
              new NodeSelectorTermBuilder()
                  .withMatchExpressions(
                      new NodeSelectorRequirementBuilder()
                          .withKey("kubernetes.io/hostname")
                          .withOperator("In")
                          .withValues(hostname)
                          .build())
                  .build())
          .endRequired()
          .endNodeAffinity()
          .endSpec();
    }
    return b.build();
  }

  static PersistentVolumeClaim claim(String name, String cls, String volume, boolean deleting) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .withDeletionTimestamp(deleting ? "2025-01-01T00:00:00Z" : null)
        .endMetadata()
        .withNewSpec()
        .withStorageClassName(cls)
        .withVolumeName(volume)
        .endSpec()
        .build();
  }

  static PodInfo podWith(String... claims) {
    PodBuilder b = new PodBuilder(pod("p").build());
    for (String c : claims) {
      b.editSpec()
          .addNewVolume()
          .withName("v-" + c)
          .withNewPersistentVolumeClaim()
          .withClaimName(c)
          .endPersistentVolumeClaim()
          .endVolume()
          .endSpec();
    }
    return PodInfo.of(b.build());
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("a pod without claims fits", podWith(), "n1", Code.SUCCESS, List.of()),
        Arguments.of(
            "a missing claim is unresolvable",
            podWith("nope"),
            "n1",
            Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            List.of("persistentvolumeclaim \"nope\" not found")),
        Arguments.of(
            "a claim being deleted is unresolvable",
            podWith("deleting"),
            "n1",
            Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            List.of("persistentvolumeclaim \"deleting\" is being deleted")),
        Arguments.of(
            "an unbound claim of an Immediate class waits for its binding",
            podWith("immediate"),
            "n1",
            Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            List.of(VolumeBinding.ERR_UNBOUND_IMMEDIATE)),
        Arguments.of(
            "a claim bound to a missing volume is unresolvable",
            podWith("bound-gone"),
            "n1",
            Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            List.of(VolumeBinding.ERR_VOLUME_MISSING)),
        Arguments.of(
            "a volume pinned to this node fits",
            podWith("bound-n1"),
            "n1",
            Code.SUCCESS,
            List.of()),
        Arguments.of(
            "a volume pinned to another node conflicts",
            podWith("bound-n1"),
            "n2",
            Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            List.of(VolumeBinding.ERR_NODE_CONFLICT)),
        Arguments.of(
            "a volume without node affinity fits anywhere",
            podWith("bound-free"),
            "n2",
            Code.SUCCESS,
            List.of()),
        Arguments.of(
            "a WaitForFirstConsumer claim fits any node",
            podWith("waiting"),
            "n2",
            Code.SUCCESS,
            List.of()),
        Arguments.of(
            "every claim counts: a waiting one and a pinned one elsewhere conflict",
            podWith("waiting", "bound-n1"),
            "n2",
            Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            List.of(VolumeBinding.ERR_NODE_CONFLICT)),
        Arguments.of(
            "a claim of a class without provisioner fits where an existing volume fits it",
            podWith("local-claim"),
            "n1",
            Code.SUCCESS,
            List.of()),
        Arguments.of(
            "a claim of a class without provisioner is rejected where no volume fits it",
            podWith("local-claim"),
            "n2",
            Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
            List.of(VolumeBinding.ERR_NO_VOLUME)));
  }

  @Test
  void preBindBindsTheSmallestFittingExistingVolumeOnTheChosenNode() {
    MemoryVolumes v = cluster();
    VolumeBinding plugin = new VolumeBinding(v, Duration.ofSeconds(1));
    CycleState state = new CycleState();
    PodInfo pod = podWith("local-claim");
    Snapshot snap = snapshot();
    assertThat(plugin.preFilter(state, pod, snap).isSuccess()).isTrue();
    assertThat(plugin.filter(state, pod, snap.get("n1")).isSuccess()).isTrue();
    assertThat(plugin.preBind(state, pod, "n1").isSuccess()).isTrue();
    assertThat(v.selected).containsExactly("local-n1-big>local-claim");
  }

  static Snapshot snapshot() {
    return Snapshot.of(
        List.of(
            NodeInfo.of(node("n1").label("kubernetes.io/hostname", "n1").build()),
            NodeInfo.of(node("n2").label("kubernetes.io/hostname", "n2").build())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void filtersByClaimsAndVolumeNodeAffinity(
      String name, PodInfo pod, String node, Code code, List<String> reasons) {
    VolumeBinding plugin = new VolumeBinding(cluster(), Duration.ofSeconds(1));
    Status s = PluginHarness.filter(plugin, pod, snapshot(), node);
    assertThat(s.code()).isEqualTo(code);
    assertThat(s.reasons()).isEqualTo(reasons);
  }

  @Test
  void preBindSelectsTheNodeForWaitingClaimsAndWaitsForTheirBinding() {
    MemoryVolumes v = cluster();
    VolumeBinding plugin = new VolumeBinding(v, Duration.ofSeconds(1));
    CycleState state = new CycleState();
    PodInfo pod = podWith("waiting", "bound-free");
    assertThat(plugin.preFilter(state, pod, snapshot()).isSuccess()).isTrue();
    assertThat(plugin.preBind(state, pod, "n2").isSuccess()).isTrue();
    assertThat(v.selected).containsExactly("waiting@n2");
  }

  @Test
  void preBindFailsWhenTheClaimIsNotBoundInTime() {
    MemoryVolumes v = cluster();
    v.bindOnSelect = false;
    VolumeBinding plugin = new VolumeBinding(v, Duration.ofSeconds(1));
    CycleState state = new CycleState();
    PodInfo pod = podWith("waiting");
    plugin.preFilter(state, pod, snapshot());
    Status s = plugin.preBind(state, pod, "n1");
    assertThat(s.code()).isEqualTo(Code.ERROR);
    assertThat(s.reasons().getFirst()).contains("default/waiting").contains("timed out");
  }

  @Test
  void aPodWithoutClaimsIsSkipped() {
    VolumeBinding plugin = new VolumeBinding(cluster(), Duration.ofSeconds(1));
    CycleState state = new CycleState();
    assertThat(plugin.preFilter(state, podWith(), snapshot()).isSkip()).isTrue();
    assertThat(plugin.preBind(state, podWith(), "n1").isSuccess()).isTrue();
  }
}
