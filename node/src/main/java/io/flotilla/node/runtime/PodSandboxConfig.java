package io.flotilla.node.runtime;

import java.util.Map;

/**
 * What a sandbox is created from (CRI PodSandboxConfig): the pod's identity, its hostname, the
 * pod's labels and annotations, which runtimes may read (the simulated runtime reads its behaviour
 * annotations there), and the directory container logs go to ({@code log_directory}; empty: the
 * runtime picks).
 */
public record PodSandboxConfig(
    String name,
    String namespace,
    String uid,
    int attempt,
    String hostname,
    Map<String, String> labels,
    Map<String, String> annotations,
    String logDirectory) {
  public PodSandboxConfig {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    logDirectory = logDirectory == null ? "" : logDirectory;
  }

  public PodSandboxConfig(
      String name,
      String namespace,
      String uid,
      int attempt,
      String hostname,
      Map<String, String> labels,
      Map<String, String> annotations) {
    this(name, namespace, uid, attempt, hostname, labels, annotations, "");
  }
}
