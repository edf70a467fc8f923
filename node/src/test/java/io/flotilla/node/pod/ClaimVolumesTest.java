package io.flotilla.node.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClaimVolumesTest {
  @TempDir Path tmp;

  final Map<String, PersistentVolumeClaim> claims = new HashMap<>();
  final Map<String, PersistentVolume> volumes = new HashMap<>();

  final ObjectSource objects =
      new ObjectSource() {
        @Override
        public ConfigMap configMap(String namespace, String name) {
          return null;
        }

        @Override
        public Secret secret(String namespace, String name) {
          return null;
        }

        @Override
        public PersistentVolumeClaim persistentVolumeClaim(String namespace, String name) {
          return claims.get(namespace + "/" + name);
        }

        @Override
        public PersistentVolume persistentVolume(String name) {
          return volumes.get(name);
        }
      };

  void claim(String name, String phase, String volume, String uid) {
    claims.put(
        "default/" + name,
        new PersistentVolumeClaimBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .withUid(uid)
            .endMetadata()
            .withNewSpec()
            .withVolumeName(volume)
            .endSpec()
            .withNewStatus()
            .withPhase(phase)
            .endStatus()
            .build());
  }

  void hostPathVolume(String name, String claimUid, Path path) {
    volumes.put(
        name,
        new PersistentVolumeBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withNewHostPath()
            .withPath(path.toString())
            .withType("DirectoryOrCreate")
            .endHostPath()
            .withNewClaimRef()
            .withNamespace("default")
            .withName("data")
            .withUid(claimUid)
            .endClaimRef()
            .endSpec()
            .build());
  }

  static Pod pod(String claim) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("p")
        .withNamespace("default")
        .withUid("pod-uid")
        .endMetadata()
        .withNewSpec()
        .addNewVolume()
        .withName("data")
        .withNewPersistentVolumeClaim()
        .withClaimName(claim)
        .endPersistentVolumeClaim()
        .endVolume()
        .endSpec()
        .build();
  }

  Map<String, Path> setUp(Pod pod) {
    return PodVolumes.setUp(
        pod,
        tmp.resolve("pod"),
        objects,
        new FieldPaths.PodAddresses("", ""),
        Map.of(),
        Instant.EPOCH);
  }

  @Test
  void aBoundClaimMountsItsVolumesDirectoryCreatingItOpenToAll() throws Exception {
    Path dir = tmp.resolve("storage").resolve("pvc-1_default_data");
    claim("data", "Bound", "pvc-1", "uid-1");
    hostPathVolume("pvc-1", "uid-1", dir);
    assertThat(setUp(pod("data"))).containsEntry("data", dir);
    assertThat(Files.isDirectory(dir)).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwxrwxrwx");
  }

  @Test
  void aMissingClaimSaysSo() {
    assertThatThrownBy(() -> setUp(pod("nope")))
        .isInstanceOf(ConfigError.class)
        .hasMessage("persistentvolumeclaim \"nope\" not found");
  }

  @Test
  void anUnboundClaimKeepsThePodWaitingWithItsPhase() {
    claim("data", "Pending", null, "uid-1");
    assertThatThrownBy(() -> setUp(pod("data")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("error processing PVC default/data: PVC is not bound")
        .hasMessageContaining("Pending");
  }

  @Test
  void aVolumeBoundToAnotherClaimIsRefused() {
    claim("data", "Bound", "pvc-1", "uid-1");
    hostPathVolume("pvc-1", "someone-else", tmp.resolve("x"));
    assertThatThrownBy(() -> setUp(pod("data")))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("is not bound to this claim");
  }
}
