package io.flotilla.node.runtime;

import java.time.Instant;

/**
 * One container as the runtime reports it (CRI ContainerStatus). Times are null until they happen:
 * {@code startedAt} once started, {@code finishedAt} and {@code exitCode} once exited. {@code
 * imageRef} is the resolved image (nodeInfo/containerStatuses imageID).
 */
public record ContainerStatus(
    String id,
    String sandboxId,
    String name,
    int attempt,
    String image,
    String imageRef,
    State state,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    int exitCode,
    String reason) {

  /** CRI's ContainerState. */
  public enum State {
    CREATED,
    RUNNING,
    EXITED,
    UNKNOWN
  }
}
