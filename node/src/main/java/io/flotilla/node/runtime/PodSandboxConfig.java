package io.flotilla.node.runtime;

import java.util.Map;

/**
 * What a sandbox is created from (CRI PodSandboxConfig): the pod's identity, its hostname, and the
 * pod's labels and annotations, which runtimes may read (the simulated runtime reads its behaviour
 * annotations there).
 */
public record PodSandboxConfig(
    String name,
    String namespace,
    String uid,
    int attempt,
    String hostname,
    Map<String, String> labels,
    Map<String, String> annotations) {
  public PodSandboxConfig {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }
}
