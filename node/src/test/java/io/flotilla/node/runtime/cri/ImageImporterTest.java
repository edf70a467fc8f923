package io.flotilla.node.runtime.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.node.runtime.cri.testsupport.ContainerdExtension;
import io.flotilla.node.runtime.cri.testsupport.TestContainerd;
import io.flotilla.node.runtime.cri.testsupport.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(ContainerdExtension.class)
class ImageImporterTest {
  private static final String REFERENCE = "example.test/flotilla/imported:1";

  @Test
  void importsAnArchiveIntoTheNamespaceCriSees(TestContainerd containerd, @TempDir Path dir) {
    // A busybox copy with its own id and name, so that the import is the only way CRI can know
    // it, and removing it afterwards leaves the other tests' busybox alone.
    Path busybox =
        TestImages.build(Path.of(System.getProperty("java.io.tmpdir"), "cri-images")).busybox();
    Path archive = TestImages.distinctCopy(busybox, REFERENCE, dir);
    CriClient cri = containerd.client();
    assertThat(cri.imageStatus(REFERENCE)).isEmpty();

    var imported = new ImageImporter(cri, Duration.ofMinutes(2)).importArchive(archive);

    try {
      assertThat(imported)
          .extracting(ImageImporter.ImportedImage::reference)
          .containsExactly(REFERENCE);
      assertThat(cri.imageStatus(REFERENCE)).isPresent();
      assertThat(imported.get(0).id()).isEqualTo(cri.imageStatus(REFERENCE).orElseThrow().getId());
    } finally {
      cri.removeImage(REFERENCE);
    }
    assertThat(cri.imageStatus(REFERENCE)).isEmpty();
    assertThat(cri.imageStatus(TestImages.BUSYBOX)).isPresent();
  }

  @Test
  void refusesAFileThatIsNotATarArchive(TestContainerd containerd, @TempDir Path dir)
      throws Exception {
    Path notTar = Files.writeString(dir.resolve("image.tar"), "not an archive");
    var importer = new ImageImporter(containerd.client(), Duration.ofMinutes(1));

    assertThatThrownBy(() -> importer.importArchive(notTar))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a tar archive");
    assertThatThrownBy(() -> importer.importArchive(dir.resolve("missing.tar")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("No image archive at");
  }
}
