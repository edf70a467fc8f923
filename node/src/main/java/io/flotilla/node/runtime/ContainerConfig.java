package io.flotilla.node.runtime;

import java.util.List;
import java.util.Map;

/**
 * What a container is created from (CRI ContainerConfig), reduced to the fields the agent fills
 * today. {@code attempt} is the restart count this container will report. Labels carry the
 * kubelet-style identity ({@link #CONTAINER_NAME_LABEL}, {@link #CONTAINER_TYPE_LABEL}).
 */
public record ContainerConfig(
    String name,
    int attempt,
    String image,
    List<String> command,
    List<String> args,
    String workingDir,
    Map<String, String> env,
    Map<String, String> labels,
    Map<String, String> annotations) {

  /** Label with the container's name in the pod spec, as kubelet sets it. */
  public static final String CONTAINER_NAME_LABEL = "io.kubernetes.container.name";

  /** Label saying whether the container is an {@code init} or an {@code app} container. */
  public static final String CONTAINER_TYPE_LABEL = "io.flotilla.container.type";

  public ContainerConfig {
    command = List.copyOf(command);
    args = List.copyOf(args);
    env = Map.copyOf(env);
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }

  /** Whether the labels mark this an init container. */
  public boolean isInit() {
    return "init".equals(labels.get(CONTAINER_TYPE_LABEL));
  }
}
