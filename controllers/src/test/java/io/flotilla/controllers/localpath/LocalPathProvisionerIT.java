package io.flotilla.controllers.localpath;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.flotilla.controllers.persistentvolume.PersistentVolumeController;
import io.flotilla.controllers.persistentvolume.VolumeAnnotations;
import io.flotilla.controllers.testsupport.ClockedHarness;
import io.flotilla.controllers.testsupport.ControllerHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The provisioner with the binder, for claims of the bootstrapped default class local-path. */
class LocalPathProvisionerIT {
  static ClockedHarness h;

  @BeforeAll
  static void start() {
    h =
        ClockedHarness.manual(
            ControllerHarness.of(
                PersistentVolumeController.NAME, PersistentVolumeController::create),
            ControllerHarness.of(LocalPathProvisioner.NAME, LocalPathProvisioner::create));
    node("with-dir", "/data/flotilla/storage");
    node("without-dir", null);
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  static void node(String name, String dir) {
    NodeBuilder b =
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .addToLabels("kubernetes.io/hostname", name + "-host")
            .endMetadata();
    if (dir != null) {
      b.editMetadata().addToAnnotations(LocalPathVolumes.DIR_ANNOTATION, dir).endMetadata();
    }
    h.client.nodes().resource(b.build()).create();
  }

  static PersistentVolumeClaim claim(String name, String node) {
    PersistentVolumeClaimBuilder b =
        new PersistentVolumeClaimBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .withAccessModes("ReadWriteOnce")
            .withNewResources()
            .addToRequests("storage", new Quantity("2Gi"))
            .endResources()
            .endSpec();
    if (node != null) {
      b.editMetadata().addToAnnotations(VolumeAnnotations.SELECTED_NODE, node).endMetadata();
    }
    return h.client.persistentVolumeClaims().resource(b.build()).create();
  }

  static PersistentVolumeClaim get(String name) {
    return h.client.persistentVolumeClaims().inNamespace("default").withName(name).get();
  }

  @Test
  void provisionsAHostPathVolumeOnTheSelectedNodeAndTheClaimBinds() {
    PersistentVolumeClaim c = claim("data", "with-dir");
    assertThat(c.getSpec().getStorageClassName()).isEqualTo("local-path");
    String pvName = "pvc-" + c.getMetadata().getUid();
    h.until(
        () ->
            get("data").getStatus() != null
                && "Bound".equals(get("data").getStatus().getPhase())
                && pvName.equals(get("data").getSpec().getVolumeName()));
    PersistentVolume pv = h.client.persistentVolumes().withName(pvName).get();
    assertThat(pv.getSpec().getHostPath().getPath())
        .isEqualTo("/data/flotilla/storage/" + pvName + "_default_data");
    assertThat(pv.getSpec().getHostPath().getType()).isEqualTo("DirectoryOrCreate");
    assertThat(pv.getSpec().getCapacity().get("storage")).isEqualTo(new Quantity("2Gi"));
    assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Delete");
    assertThat(pv.getSpec().getStorageClassName()).isEqualTo("local-path");
    var term = pv.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().getFirst();
    assertThat(term.getMatchExpressions().getFirst().getKey()).isEqualTo("kubernetes.io/hostname");
    assertThat(term.getMatchExpressions().getFirst().getValues()).containsExactly("with-dir-host");
    assertThat(pv.getMetadata().getAnnotations())
        .containsEntry(VolumeAnnotations.PROVISIONED_BY, "flotilla.io/local-path");
    h.until(() -> h.hasEvent("default", "data", "ProvisioningSucceeded"));
    h.until(
        () ->
            "Bound"
                .equals(
                    h.client.persistentVolumes().withName(pvName).get().getStatus().getPhase()));

    h.client.persistentVolumeClaims().inNamespace("default").withName("data").delete();
    h.until(() -> h.client.persistentVolumes().withName(pvName).get() == null);
  }

  @Test
  void aNodeWithoutTheAnnotationUsesTheDefaultDirectory() {
    PersistentVolumeClaim c = claim("plain", "without-dir");
    String pvName = "pvc-" + c.getMetadata().getUid();
    h.until(() -> h.client.persistentVolumes().withName(pvName).get() != null);
    assertThat(
            h.client.persistentVolumes().withName(pvName).get().getSpec().getHostPath().getPath())
        .isEqualTo(LocalPathVolumes.DEFAULT_DIR + "/" + pvName + "_default_plain");
  }

  @Test
  void aClaimWithoutASelectedNodeGetsNoVolume() {
    PersistentVolumeClaim c = claim("waiting", null);
    h.until(() -> h.hasEvent("default", "waiting", "WaitForFirstConsumer"));
    assertThat(h.client.persistentVolumes().withName("pvc-" + c.getMetadata().getUid()).get())
        .isNull();
    h.until(
        () ->
            get("waiting").getStatus() != null
                && "Pending".equals(get("waiting").getStatus().getPhase()));
  }
}
