package io.flotilla.node.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryVolumesTest {
  @TempDir Path tmp;

  private static final ObjectSource NO_OBJECTS =
      new ObjectSource() {
        @Override
        public ConfigMap configMap(String namespace, String name) {
          return null;
        }

        @Override
        public Secret secret(String namespace, String name) {
          return null;
        }
      };

  private static boolean root() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"));
  }

  private static String fsType(Path dir) throws IOException {
    String mp = dir.toAbsolutePath().normalize().toString();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      if (f[4].equals(mp)) {
        int sep = java.util.Arrays.asList(f).indexOf("-");
        return f[sep + 1];
      }
    }
    return "";
  }

  @Test
  void anEmptyDirOfMediumMemoryIsATmpfsThatGoesWithThePod() throws IOException {
    assumeThat(root()).as("mounting tmpfs needs root").isTrue();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("p")
            .withNamespace("default")
            .withUid("u")
            .endMetadata()
            .withNewSpec()
            .addNewVolume()
            .withName("scratch")
            .withNewEmptyDir()
            .withMedium("Memory")
            .withSizeLimit(new Quantity("16Mi"))
            .endEmptyDir()
            .endVolume()
            .addNewVolume()
            .withName("disk")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .endSpec()
            .build();
    Path podDir = tmp.resolve("pod");
    Map<String, Path> paths =
        PodVolumes.setUp(
            pod, podDir, NO_OBJECTS, new FieldPaths.PodAddresses("", ""), Map.of(), Instant.EPOCH);
    try {
      assertThat(fsType(paths.get("scratch"))).isEqualTo("tmpfs");
      assertThat(fsType(paths.get("disk"))).isEmpty();
      // A second sync mounts nothing more.
      PodVolumes.setUp(
          pod, podDir, NO_OBJECTS, new FieldPaths.PodAddresses("", ""), Map.of(), Instant.EPOCH);
      assertThat(MemoryVolumes.mountPoints(podDir)).hasSize(1);
      Files.writeString(paths.get("scratch").resolve("f"), "in memory");
    } finally {
      PodVolumes.tearDown(podDir);
    }
    assertThat(MemoryVolumes.mountPoints(podDir)).isEmpty();
    assertThat(podDir).doesNotExist();
  }
}
