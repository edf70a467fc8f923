package io.flotilla.node.runtime;

/**
 * A container lifecycle change (CRI ContainerEventResponse): which container, of which pod, what
 * happened.
 */
public record ContainerEvent(
    String containerId, Type type, String podNamespace, String podName, String podUid) {
  /** CRI's ContainerEventType. */
  public enum Type {
    CREATED,
    STARTED,
    STOPPED,
    DELETED
  }
}
