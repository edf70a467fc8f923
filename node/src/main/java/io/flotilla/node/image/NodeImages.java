package io.flotilla.node.image;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.ContainerImageBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.flotilla.node.runtime.ImageService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's {@code status.images} as kubelet reports them: the 50 largest images, each with up to
 * 5 names (digests first, then tags) and its size, patched into nodes/status when the list changes.
 *
 * <p>Threading: {@link #report} is synchronized; called from the agent's timer.
 */
public final class NodeImages {
  private static final Logger LOG = LoggerFactory.getLogger(NodeImages.class);

  /** kubelet's nodeStatusMaxImages and MaxNamesPerImageInNodeStatus. */
  public static final int MAX_IMAGES = 50;

  public static final int MAX_NAMES = 5;

  private final KubernetesClient client;
  private final String nodeName;
  private final ImageService images;
  private List<ContainerImage> last;

  public NodeImages(KubernetesClient client, String nodeName, ImageService images) {
    this.client = client;
    this.nodeName = nodeName;
    this.images = images;
  }

  /** The list kubelet would report for {@code all}. */
  public static List<ContainerImage> statusImages(List<ImageService.Image> all) {
    List<ImageService.Image> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparingLong(ImageService.Image::sizeBytes).reversed());
    List<ContainerImage> out = new ArrayList<>();
    for (ImageService.Image i : sorted) {
      if (out.size() == MAX_IMAGES) {
        break;
      }
      List<String> names = new ArrayList<>(i.repoDigests());
      names.addAll(i.repoTags());
      if (names.isEmpty()) {
        continue;
      }
      out.add(
          new ContainerImageBuilder()
              .withNames(names.subList(0, Math.min(MAX_NAMES, names.size())))
              .withSizeBytes(i.sizeBytes())
              .build());
    }
    return out;
  }

  /** Patches the node's images when they differ from the last report; returns whether it did. */
  public synchronized boolean report() {
    List<ContainerImage> now = statusImages(images.listImages());
    if (now.equals(last)) {
      return false;
    }
    client
        .nodes()
        .withName(nodeName)
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            client.getKubernetesSerialization().asJson(Map.of("status", Map.of("images", now))));
    LOG.debug("node {} reports {} images", nodeName, now.size());
    last = now;
    return true;
  }
}
