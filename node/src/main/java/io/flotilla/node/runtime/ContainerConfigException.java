package io.flotilla.node.runtime;

/**
 * A runtime cannot create a container from its config as things stand (for example {@code
 * runAsNonRoot} with an image that runs as root): the agent reports {@code waiting:
 * CreateContainerConfigError} with this message and tries again on a later sync, as kubelet does.
 */
public final class ContainerConfigException extends RuntimeException {
  public ContainerConfigException(String message) {
    super(message);
  }
}
