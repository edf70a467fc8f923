package io.flotilla.node.runtime;

import java.util.List;
import java.util.Optional;

/**
 * The images a runtime holds (CRI ImageService), for runtimes that run container images ({@link
 * Runtime#imageService()}). The agent calls it before {@link Runtime#createContainer} to apply the
 * container's imagePullPolicy, and periodically for image garbage collection and the node's {@code
 * status.images}. Runtimes without one (process, simulated) treat every image as present.
 *
 * <p>Threading: implementations are thread-safe; calls block (pulls for minutes).
 */
public interface ImageService {

  /** The image {@code ref} names (tag, digest or id), or empty when the runtime lacks it. */
  Optional<Image> imageStatus(String ref);

  /**
   * Pulls {@code ref} from its registry; returns the image reference the runtime stored.
   *
   * @throws RuntimeException with the runtime's reason when the pull fails
   */
  String pullImage(String ref);

  /** Every image the runtime holds. */
  List<Image> listImages();

  /** Removes an image (all its names); idempotent. */
  void removeImage(String id);

  /** The filesystem holding images: what images use, its capacity and what is still free. */
  FsUsage imageFsUsage();

  /** One image: its id, names, size and (when the image says) its user. */
  record Image(
      String id,
      List<String> repoTags,
      List<String> repoDigests,
      long sizeBytes,
      Long uid,
      String username) {
    public Image {
      repoTags = List.copyOf(repoTags);
      repoDigests = List.copyOf(repoDigests);
      username = username == null ? "" : username;
    }
  }

  /**
   * The image filesystem: bytes the images use, the file system's capacity and available bytes
   * (capacity 0: unknown).
   */
  record FsUsage(String mountpoint, long usedBytes, long capacityBytes, long availableBytes) {}
}
