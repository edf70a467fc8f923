package io.flotilla.node;

import io.flotilla.node.runtime.Runtime;
import java.nio.file.Path;
import java.util.List;

/**
 * A pod this agent runs, as its kubelet API server needs it: the runtime and sandbox its containers
 * are in ({@code sandboxId} null until the sandbox exists), where the runtime writes their logs
 * ({@code logDirectory} null when the runtime picks: agents without a data dir) and the container
 * names of its spec (init containers first).
 */
public record LocatedPod(
    String namespace,
    String name,
    String uid,
    Runtime runtime,
    String sandboxId,
    Path logDirectory,
    List<String> containerNames) {
  public LocatedPod {
    containerNames = List.copyOf(containerNames);
  }
}
