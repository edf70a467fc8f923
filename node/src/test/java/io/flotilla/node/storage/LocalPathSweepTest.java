package io.flotilla.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.flotilla.testing.InProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPathSweepTest {
  @TempDir Path dir;

  static void pv(InProcessCluster c, String name, Path path) {
    c.client()
        .persistentVolumes()
        .resource(
            new PersistentVolumeBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withCapacity(Map.of("storage", new Quantity("1Gi")))
                .withAccessModes("ReadWriteOnce")
                .withNewHostPath()
                .withPath(path.toString())
                .endHostPath()
                .endSpec()
                .build())
        .create();
  }

  @Test
  void removesOnlyVolumeDirectoriesNoPersistentVolumeNames() throws Exception {
    Path kept = Files.createDirectories(dir.resolve("pvc-aaaa_default_kept"));
    Path keptByName = Files.createDirectories(dir.resolve("pvc-bbbb_default_moved"));
    Path gone = Files.createDirectories(dir.resolve("pvc-cccc_default_gone"));
    Files.writeString(gone.resolve("data.txt"), "old");
    Path other = Files.createDirectories(dir.resolve("not-a-volume"));
    try (InProcessCluster c = InProcessCluster.start()) {
      pv(c, "pvc-aaaa", kept);
      pv(c, "pvc-bbbb", Path.of("/elsewhere"));
      LocalPathSweep sweep = LocalPathSweep.manual(c.client(), dir);
      assertThat(sweep.sweepOnce()).containsExactly(gone);
      assertThat(gone).doesNotExist();
      assertThat(kept).isDirectory();
      assertThat(keptByName).isDirectory();
      assertThat(other).isDirectory();
    }
  }
}
