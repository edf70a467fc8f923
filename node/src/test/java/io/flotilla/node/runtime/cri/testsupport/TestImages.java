package io.flotilla.node.runtime.cri.testsupport;

import io.flotilla.node.runtime.cri.LocalImages;
import java.nio.file.Path;

/**
 * The images the containerd tests run, built on this machine without a registry by {@link
 * LocalImages} (what {@code flotilla up} and {@code bench pods} use too): a pause image (the
 * project's static C pause program) and a busybox image (Debian's busybox-static with its applet
 * links), as docker-archive tarballs cached under the build directory.
 *
 * <p>Threading: {@link #build} is synchronized (through LocalImages); two JVMs building at once
 * each write their own temporary tarball and move it into place atomically.
 */
public final class TestImages {
  /** The pause image, under the name containerd's sandbox_image setting uses. */
  public static final String PAUSE = LocalImages.PAUSE;

  /** The busybox image: {@code image: busybox} in a pod resolves to it. */
  public static final String BUSYBOX = LocalImages.BUSYBOX;

  private TestImages() {}

  /** The two tarballs, built or found in the cache. */
  public record Tarballs(Path pause, Path busybox) {}

  /** Builds (or finds cached) both tarballs under {@code cacheDir}. */
  public static Tarballs build(Path cacheDir) {
    return new Tarballs(LocalImages.build(cacheDir, PAUSE), LocalImages.build(cacheDir, BUSYBOX));
  }

  /**
   * Writes a copy of the docker-archive {@code source} as a distinct image named {@code reference}
   * (its config gains a label, so its id differs): CRI RemoveImage removes an image with all its
   * names, so a test that imports and removes an image must not share one with other tests.
   */
  public static Path distinctCopy(Path source, String reference, Path workDir) {
    HostTools.run(workDir, "skopeo", "copy", "docker-archive:" + source, "oci:copy:image");
    HostTools.run(
        workDir, "umoci", "config", "--image", "copy:image", "--config.label", "copy=" + reference);
    Path tarball = workDir.resolve("copy.tar");
    HostTools.run(
        workDir, "skopeo", "copy", "oci:copy:image", "docker-archive:" + tarball + ":" + reference);
    return tarball;
  }
}
