package io.flotilla.scheduler.framework;

/**
 * What a PostFilter achieved: a status and, on success, the node the pod is nominated to (null when
 * there is none, "" to clear an earlier nomination).
 */
public record PostFilterResult(Status status, String nominatedNodeName) {
  public static PostFilterResult of(Status status) {
    return new PostFilterResult(status, null);
  }
}
