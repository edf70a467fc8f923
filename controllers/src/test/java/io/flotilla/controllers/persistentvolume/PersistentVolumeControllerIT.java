package io.flotilla.controllers.persistentvolume;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.flotilla.controllers.testsupport.ClockedHarness;
import io.flotilla.controllers.testsupport.ControllerHarness;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The binder against the in-process apiserver, on a manual clock. Each test uses its own names. */
class PersistentVolumeControllerIT {
  static ClockedHarness h;

  @BeforeAll
  static void start() {
    h =
        ClockedHarness.manual(
            ControllerHarness.of(
                PersistentVolumeController.NAME, PersistentVolumeController::create));
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  static PersistentVolume pv(
      String name, String size, String cls, UnaryOperator<PersistentVolumeBuilder> more) {
    PersistentVolumeBuilder b =
        new PersistentVolumeBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withCapacity(Map.of("storage", new Quantity(size)))
            .withAccessModes("ReadWriteOnce")
            .withStorageClassName(cls)
            .withPersistentVolumeReclaimPolicy("Retain")
            .withNewHostPath()
            .withPath("/tmp/" + name)
            .endHostPath()
            .endSpec();
    return h.client.persistentVolumes().resource(more.apply(b).build()).create();
  }

  static PersistentVolumeClaim claim(
      String name, String size, String cls, UnaryOperator<PersistentVolumeClaimBuilder> more) {
    PersistentVolumeClaimBuilder b =
        new PersistentVolumeClaimBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .withAccessModes("ReadWriteOnce")
            .withStorageClassName(cls)
            .withNewResources()
            .addToRequests("storage", new Quantity(size))
            .endResources()
            .endSpec();
    return h.client.persistentVolumeClaims().resource(more.apply(b).build()).create();
  }

  static PersistentVolumeClaim getClaim(String name) {
    return h.client.persistentVolumeClaims().inNamespace("default").withName(name).get();
  }

  static PersistentVolume getPv(String name) {
    return h.client.persistentVolumes().withName(name).get();
  }

  static String phase(PersistentVolumeClaim c) {
    return c == null || c.getStatus() == null ? null : c.getStatus().getPhase();
  }

  static String phase(PersistentVolume v) {
    return v == null || v.getStatus() == null ? null : v.getStatus().getPhase();
  }

  void awaitBound(String claim, String volume) {
    h.until(
        () ->
            "Bound".equals(phase(getClaim(claim)))
                && volume.equals(getClaim(claim).getSpec().getVolumeName())
                && "Bound".equals(phase(getPv(volume))));
  }

  @Test
  void bindsTheSmallestAvailableVolumeThatFits() {
    pv("a-small", "1Gi", "a", b -> b);
    pv("a-fit", "5Gi", "a", b -> b);
    pv("a-large", "10Gi", "a", b -> b);
    claim("a", "2Gi", "a", b -> b);
    awaitBound("a", "a-fit");
    PersistentVolumeClaim c = getClaim("a");
    assertThat(c.getMetadata().getAnnotations())
        .containsEntry(VolumeAnnotations.BIND_COMPLETED, "yes")
        .containsEntry(VolumeAnnotations.BOUND_BY_CONTROLLER, "yes");
    assertThat(c.getStatus().getCapacity().get("storage")).isEqualTo(new Quantity("5Gi"));
    assertThat(c.getStatus().getAccessModes()).containsExactly("ReadWriteOnce");
    PersistentVolume v = getPv("a-fit");
    assertThat(v.getMetadata().getAnnotations())
        .containsEntry(VolumeAnnotations.BOUND_BY_CONTROLLER, "yes");
    assertThat(v.getSpec().getClaimRef().getUid()).isEqualTo(c.getMetadata().getUid());
    h.until(() -> "Available".equals(phase(getPv("a-small"))));
    assertThat(phase(getPv("a-large"))).isEqualTo("Available");
  }

  @Test
  void aClaimNothingFitsStaysPendingUntilAVolumeAppears() {
    claim("b", "20Gi", "", b -> b.editSpec().withAccessModes("ReadWriteMany").endSpec());
    pv("b-small", "1Gi", "", b -> b.editSpec().withAccessModes("ReadWriteMany").endSpec());
    pv("b-wrongmode", "50Gi", "", b -> b);
    pv(
        "b-otherclass",
        "50Gi",
        "other",
        b -> b.editSpec().withAccessModes("ReadWriteMany").endSpec());
    h.until(() -> "Pending".equals(phase(getClaim("b"))));
    h.until(() -> h.hasEvent("default", "b", "FailedBinding"));
    assertThat(getClaim("b").getSpec().getVolumeName()).isNull();
    pv(
        "b-fits",
        "30Gi",
        "",
        b -> b.editSpec().withAccessModes("ReadWriteOnce", "ReadWriteMany").endSpec());
    awaitBound("b", "b-fits");
  }

  @Test
  void aClaimOfAMissingClassFailsToProvision() {
    claim("m", "1Gi", "missing", b -> b);
    h.until(() -> h.hasEvent("default", "m", "ProvisioningFailed"));
    h.until(() -> "Pending".equals(phase(getClaim("m"))));
  }

  @Test
  void aSelectorOnlyTakesVolumesWithMatchingLabels() {
    pv("c-plain", "1Gi", "c", b -> b);
    pv("c-labelled", "2Gi", "c", b -> b.editMetadata().addToLabels("tier", "gold").endMetadata());
    claim(
        "c",
        "1Gi",
        "c",
        b ->
            b.editSpec()
                .withSelector(new LabelSelectorBuilder().addToMatchLabels("tier", "gold").build())
                .endSpec());
    awaitBound("c", "c-labelled");
  }

  @Test
  void aClaimNamingAVolumeGetsThatOneAndKeepsItsOwnAnnotationsClean() {
    pv("d-small", "1Gi", "d", b -> b);
    pv("d-named", "8Gi", "d", b -> b);
    claim("d", "1Gi", "d", b -> b.editSpec().withVolumeName("d-named").endSpec());
    awaitBound("d", "d-named");
    assertThat(getClaim("d").getMetadata().getAnnotations())
        .doesNotContainKey(VolumeAnnotations.BOUND_BY_CONTROLLER);
    assertThat(getPv("d-named").getMetadata().getAnnotations())
        .containsEntry(VolumeAnnotations.BOUND_BY_CONTROLLER, "yes");
  }

  @Test
  void aVolumePreBoundToAClaimByNameIsTheOneItGets() {
    pv("e-other", "1Gi", "e", b -> b);
    pv(
        "e-prebound",
        "3Gi",
        "e",
        b ->
            b.editSpec()
                .withNewClaimRef()
                .withNamespace("default")
                .withName("e")
                .endClaimRef()
                .endSpec());
    h.until(() -> "Available".equals(phase(getPv("e-prebound"))));
    claim("e", "1Gi", "e", b -> b);
    awaitBound("e", "e-prebound");
  }

  @Test
  void releasesARetainedVolumeAndDeletesADeleteVolumeWhenTheirClaimsGo() {
    pv("f-retain", "1Gi", "f1", b -> b);
    pv(
        "f-delete",
        "1Gi",
        "f2",
        b -> b.editSpec().withPersistentVolumeReclaimPolicy("Delete").endSpec());
    claim("f1", "1Gi", "f1", b -> b);
    claim("f2", "1Gi", "f2", b -> b);
    awaitBound("f1", "f-retain");
    awaitBound("f2", "f-delete");
    h.client.persistentVolumeClaims().inNamespace("default").withName("f1").delete();
    h.client.persistentVolumeClaims().inNamespace("default").withName("f2").delete();
    h.until(() -> "Released".equals(phase(getPv("f-retain"))));
    h.until(() -> getPv("f-delete") == null);
    assertThat(getPv("f-retain").getSpec().getClaimRef().getName()).isEqualTo("f1");
  }

  @Test
  void aDeleteVolumeStaysWhileAPodStillUsesItsDeletedClaim() {
    pv(
        "k-vol",
        "1Gi",
        "k",
        b -> b.editSpec().withPersistentVolumeReclaimPolicy("Delete").endSpec());
    claim("k", "1Gi", "k", b -> b);
    awaitBound("k", "k-vol");
    h.client
        .pods()
        .resource(
            new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata()
                .withName("k-user")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("busybox")
                .endContainer()
                .addNewVolume()
                .withName("data")
                .withNewPersistentVolumeClaim()
                .withClaimName("k")
                .endPersistentVolumeClaim()
                .endVolume()
                .endSpec()
                .build())
        .create();
    h.client.persistentVolumeClaims().inNamespace("default").withName("k").delete();
    h.until(() -> "Released".equals(phase(getPv("k-vol"))));
    assertThat(getPv("k-vol")).isNotNull();
    h.client.pods().inNamespace("default").withName("k-user").withGracePeriod(0).delete();
    h.until(() -> getPv("k-vol") == null);
  }

  @Test
  void aBoundClaimWhoseVolumeIsDeletedIsLost() {
    pv("g-vol", "1Gi", "g", b -> b);
    claim("g", "1Gi", "g", b -> b);
    awaitBound("g", "g-vol");
    h.client.persistentVolumes().withName("g-vol").delete();
    h.until(() -> "Lost".equals(phase(getClaim("g"))));
    h.until(() -> h.hasEvent("default", "g", "ClaimLost"));
  }

  @Test
  void aWaitForFirstConsumerClaimWaitsForItsNodeThenAsksTheProvisioner() {
    h.client
        .storage()
        .v1()
        .storageClasses()
        .resource(
            new StorageClassBuilder()
                .withNewMetadata()
                .withName("h-wffc")
                .endMetadata()
                .withProvisioner("example.com/h")
                .withVolumeBindingMode("WaitForFirstConsumer")
                .build())
        .create();
    pv("h-static", "5Gi", "h-wffc", b -> b);
    claim("h", "1Gi", "h-wffc", b -> b);
    h.until(() -> h.hasEvent("default", "h", "WaitForFirstConsumer"));
    assertThat(
            h.events("default", "h").stream()
                .filter(e -> e.getReason().equals("WaitForFirstConsumer"))
                .findFirst()
                .orElseThrow()
                .getMessage())
        .isEqualTo("waiting for first consumer to be created before binding");
    h.until(() -> "Pending".equals(phase(getClaim("h"))));
    assertThat(getClaim("h").getMetadata().getAnnotations())
        .doesNotContainKey(VolumeAnnotations.STORAGE_PROVISIONER);
    h.retry(
        () ->
            h.client
                .persistentVolumeClaims()
                .inNamespace("default")
                .withName("h")
                .edit(
                    c ->
                        new PersistentVolumeClaimBuilder(c)
                            .editMetadata()
                            .addToAnnotations(VolumeAnnotations.SELECTED_NODE, "node-1")
                            .endMetadata()
                            .build()));
    h.until(
        () ->
            "example.com/h"
                .equals(
                    VolumeAnnotations.get(getClaim("h"), VolumeAnnotations.STORAGE_PROVISIONER)));
    h.until(() -> h.hasEvent("default", "h", "ExternalProvisioning"));
    assertThat(getClaim("h").getSpec().getVolumeName()).isNull();
  }

  @Test
  void anImmediateClassWithAProvisionerIsAskedAtOnce() {
    h.client
        .storage()
        .v1()
        .storageClasses()
        .resource(
            new StorageClassBuilder()
                .withNewMetadata()
                .withName("i-now")
                .endMetadata()
                .withProvisioner("example.com/i")
                .build())
        .create();
    claim("i", "1Gi", "i-now", b -> b);
    h.until(
        () ->
            List.of("example.com/i", "example.com/i")
                .equals(
                    List.of(
                        String.valueOf(
                            VolumeAnnotations.get(
                                getClaim("i"), VolumeAnnotations.STORAGE_PROVISIONER)),
                        String.valueOf(
                            VolumeAnnotations.get(
                                getClaim("i"), VolumeAnnotations.BETA_STORAGE_PROVISIONER)))));
    h.until(() -> "Pending".equals(phase(getClaim("i"))));
  }
}
