package io.flotilla.node.runtime.cri;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads an image archive (docker-archive or OCI tarball, as {@code docker save} or {@code skopeo
 * copy} write them) into containerd's CRI namespace {@code k8s.io}, where pods see it. CRI has no
 * import call, so this runs containerd's own {@code ctr images import} against the same socket,
 * then checks through CRI that every image it reported is there.
 *
 * <p>Threading: stateless; each call runs one {@code ctr} process.
 */
public final class ImageImporter {
  /** One image the archive held. */
  public record ImportedImage(String reference, String id) {}

  /** ctr prints {@code unpacking <ref> (sha256:<digest>)...done} per image. */
  private static final Pattern UNPACKED =
      Pattern.compile("unpacking (\\S+) \\((sha256:[0-9a-f]+)\\)");

  private final CriClient cri;
  private final Duration timeout;

  public ImageImporter(CriClient cri, Duration timeout) {
    this.cri = cri;
    this.timeout = timeout;
  }

  /**
   * Imports {@code archive}; returns the images it held, as CRI now reports them.
   *
   * @throws IllegalArgumentException when the file is missing or not a tar archive
   * @throws IllegalStateException when ctr fails (with its output) or an image is not visible
   */
  public List<ImportedImage> importArchive(Path archive) {
    requireTar(archive);
    String output = runCtr(archive);
    List<ImportedImage> images = new ArrayList<>();
    Matcher m = UNPACKED.matcher(output);
    while (m.find()) {
      String reference = m.group(1);
      var image =
          cri.imageStatus(reference)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "ctr imported "
                              + reference
                              + " from "
                              + archive
                              + " but CRI does not list it; was it imported into another"
                              + " containerd namespace?"));
      images.add(new ImportedImage(reference, image.getId()));
    }
    if (images.isEmpty()) {
      throw new IllegalStateException(
          archive + " held no named image (ctr said: " + output.strip() + ")");
    }
    return images;
  }

  private String runCtr(Path archive) {
    List<String> command =
        List.of(
            "ctr",
            "--address",
            cri.socket().toString(),
            "--namespace",
            "k8s.io",
            "images",
            "import",
            archive.toAbsolutePath().toString());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      String output;
      try (InputStream in = p.getInputStream()) {
        output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("ctr images import " + archive + " took over " + timeout);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "Importing "
                + archive
                + " failed (ctr exited "
                + p.exitValue()
                + "): "
                + output.strip());
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException(
          "Could not run ctr ("
              + e.getMessage()
              + "); it comes with containerd: apt-get install containerd",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while importing " + archive, e);
    }
  }

  private static void requireTar(Path archive) {
    if (!Files.isRegularFile(archive)) {
      throw new IllegalArgumentException(
          "No image archive at "
              + archive
              + "; pass a tarball written by docker save or skopeo copy");
    }
    byte[] header = new byte[512];
    try (InputStream in = Files.newInputStream(archive)) {
      int n = in.readNBytes(header, 0, header.length);
      // A POSIX tar header has "ustar" at offset 257.
      String magic = n == 512 ? new String(header, 257, 5, StandardCharsets.US_ASCII) : "";
      if (!magic.equals("ustar")) {
        throw new IllegalArgumentException(
            archive
                + " is not a tar archive; pass an uncompressed image tarball (docker save, or"
                + " skopeo copy … docker-archive:FILE.tar:NAME:TAG)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + archive, e);
    }
  }
}
