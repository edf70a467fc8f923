package io.flotilla.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.flotilla.node.PodView.ContainerShape;
import io.flotilla.node.image.ImagePuller;
import io.flotilla.node.pod.ConfigError;
import io.flotilla.node.runtime.ContainerConfig;
import io.flotilla.node.runtime.ContainerConfigException;
import io.flotilla.node.runtime.ContainerStatus;
import io.flotilla.node.runtime.ImageService;
import io.flotilla.node.runtime.PodSandboxConfig;
import io.flotilla.node.runtime.Runtime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creates and starts the containers of one pod during one {@link PodSync} pass: builds the
 * container's config (the whole spec through {@link PodFeatures} when the agent keeps it, else name
 * and image), keeps only the previous attempt, and records why a container could not be created or
 * started in {@link PodRecord#configErrors}.
 *
 * <p>Threading: used by the worker holding the pod's key, for one sync.
 */
final class ContainerStarter {
  private final PodFeatures features;
  private final Runtime runtime;
  private final PodRecord rec;
  private final PodSandboxConfig sandbox;
  private final PodView pod;
  private final String hostIp;
  private final Map<String, Quantity> allocatable;
  private Duration retryAfter;

  ContainerStarter(
      PodFeatures features,
      Runtime runtime,
      PodRecord rec,
      PodSandboxConfig sandbox,
      PodView pod,
      String hostIp,
      Map<String, Quantity> allocatable) {
    this.features = features;
    this.runtime = runtime;
    this.rec = rec;
    this.sandbox = sandbox;
    this.pod = pod;
    this.hostIp = hostIp;
    this.allocatable = allocatable;
  }

  void start(ContainerShape c, int attempt, boolean init) {
    Map<String, String> labels =
        Map.of(
            ContainerConfig.CONTAINER_NAME_LABEL,
            c.name(),
            ContainerConfig.CONTAINER_TYPE_LABEL,
            init ? "init" : "app");
    boolean full = features != null && pod.pod() != null;
    if (full && rec.volumeError != null) {
      rec.configErrors.put(c.name(), new String[] {"ContainerCreating", rec.volumeError});
      return;
    }
    if (full && !imagePresent(c)) {
      return;
    }
    ContainerConfig config;
    try {
      config =
          full
              ? features.config(pod, rec, c.name(), attempt, labels, hostIp, allocatable)
              : new ContainerConfig(
                  c.name(), attempt, c.image(), List.of(), List.of(), "", Map.of(), labels,
                  Map.of());
    } catch (ConfigError e) {
      rec.configErrors.put(c.name(), new String[] {"CreateContainerConfigError", e.getMessage()});
      return;
    }
    // Keep only the attempt before the new one: it becomes lastState.
    List<ContainerStatus> old =
        runtime.listContainers(rec.sandboxId).stream()
            .filter(s -> s.name().equals(c.name()) && s.attempt() < attempt - 1)
            .toList();
    old.forEach(s -> runtime.removeContainer(s.id()));
    String id;
    try {
      id = runtime.createContainer(rec.sandboxId, config, sandbox);
    } catch (ContainerConfigException e) {
      rec.configErrors.put(c.name(), new String[] {"CreateContainerConfigError", e.getMessage()});
      return;
    } catch (RuntimeException e) {
      rec.configErrors.put(c.name(), new String[] {"CreateContainerError", e.getMessage()});
      return;
    }
    try {
      runtime.startContainer(id);
    } catch (RuntimeException e) {
      runtime.removeContainer(id);
      rec.configErrors.put(c.name(), new String[] {"RunContainerError", e.getMessage()});
      return;
    }
    rec.configErrors.remove(c.name());
    if (full) {
      features.started(pod, rec, c.name(), id, runtime);
    }
  }

  /** When a container could not be started for a reason that passes (an image back-off). */
  Duration retryAfter() {
    return retryAfter;
  }

  /**
   * Applies the container's imagePullPolicy when the runtime has images (kubelet pulls before it
   * creates the container); records ErrImagePull, ImagePullBackOff or ErrImageNeverPull otherwise.
   */
  private boolean imagePresent(ContainerShape c) {
    Optional<ImageService> images = runtime.imageService();
    if (images.isEmpty()) {
      return true;
    }
    Container spec = PodFeatures.spec(pod, c.name());
    String image = spec == null ? c.image() : spec.getImage();
    String policy = spec == null ? null : spec.getImagePullPolicy();
    ImagePuller.Outcome o = features.images.ensure(images.get(), pod.uid(), image, policy);
    if (o.ready()) {
      return true;
    }
    rec.configErrors.put(c.name(), new String[] {o.reason(), o.message()});
    if (o.retryAfter() != null
        && (retryAfter == null || o.retryAfter().compareTo(retryAfter) < 0)) {
      retryAfter = o.retryAfter();
    }
    return false;
  }
}
