package io.flotilla.node.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.node.pod.AtomicWriter.FileContent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriterTest {
  @TempDir Path dir;
  private final Instant now = Instant.parse("2026-11-23T10:00:00Z");

  private static FileContent text(String s, int mode) {
    return new FileContent(s.getBytes(StandardCharsets.UTF_8), mode);
  }

  @Test
  void filesAreReachedThroughTheDataSymlinkWithTheirModes() throws Exception {
    assertThat(
            AtomicWriter.write(
                dir, Map.of("key", text("one", 0644), "sub/inner", text("two", 0400)), now))
        .isTrue();
    assertThat(Files.readString(dir.resolve("key"))).isEqualTo("one");
    assertThat(Files.readString(dir.resolve("sub/inner"))).isEqualTo("two");
    assertThat(Files.isSymbolicLink(dir.resolve("key"))).isTrue();
    assertThat(Files.readSymbolicLink(dir.resolve("key"))).isEqualTo(Path.of("..data/key"));
    assertThat(Files.isSymbolicLink(dir.resolve("..data"))).isTrue();
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("sub/inner"))))
        .isEqualTo("r--------");
  }

  @Test
  void unchangedContentWritesNothingAndChangedContentSwapsTheDataDirectory() throws Exception {
    AtomicWriter.write(dir, Map.of("key", text("one", 0644), "gone", text("x", 0644)), now);
    Path first = Files.readSymbolicLink(dir.resolve("..data"));
    assertThat(
            AtomicWriter.write(dir, Map.of("key", text("one", 0644), "gone", text("x", 0644)), now))
        .isFalse();
    assertThat(AtomicWriter.write(dir, Map.of("key", text("two", 0644)), now)).isTrue();
    Path second = Files.readSymbolicLink(dir.resolve("..data"));
    assertThat(second).isNotEqualTo(first);
    assertThat(Files.exists(dir.resolve(first))).isFalse();
    assertThat(Files.readString(dir.resolve("key"))).isEqualTo("two");
    assertThat(Files.exists(dir.resolve("gone"), java.nio.file.LinkOption.NOFOLLOW_LINKS))
        .isFalse();
  }

  @Test
  void anItemPathLeavingTheVolumeIsRejected() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> AtomicWriter.write(dir, Map.of("../escape", text("x", 0644)), now))
        .isInstanceOf(ConfigError.class)
        .hasMessageContaining("leaves the volume");
  }
}
