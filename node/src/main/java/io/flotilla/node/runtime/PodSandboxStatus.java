package io.flotilla.node.runtime;

import java.time.Instant;

/** A sandbox as the runtime reports it (CRI PodSandboxStatus): ready or not, and its pod IP. */
public record PodSandboxStatus(
    String id,
    String name,
    String namespace,
    String uid,
    State state,
    String ip,
    Instant createdAt) {
  /** CRI's PodSandboxState. */
  public enum State {
    READY,
    NOTREADY
  }
}
