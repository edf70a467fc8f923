package io.flotilla.node.server;

import io.flotilla.node.LocatedPod;
import io.flotilla.node.runtime.ContainerStatus;
import io.flotilla.node.runtime.process.ProcessRuntime;
import java.nio.file.Path;
import java.util.List;

/**
 * Resolves the pod and container a request names to the runtime's ids, with kubelet's errors: 404
 * for a pod or container the agent does not know, 400 for one that is not running (yet).
 */
final class Targets {
  private Targets() {}

  static LocatedPod pod(PodLocator pods, String namespace, String name) {
    LocatedPod p = pods.find(namespace, name);
    if (p == null) {
      throw new KubeletException(404, "pod \"" + name + "\" not found in namespace " + namespace);
    }
    return p;
  }

  /** The container's instances in the runtime, oldest first; 404 when the spec has no such name. */
  static List<ContainerStatus> instances(LocatedPod p, String container) {
    if (!p.containerNames().contains(container)) {
      throw new KubeletException(
          404, "container \"" + container + "\" not found in pod \"" + p.name() + "\"");
    }
    if (p.sandboxId() == null) {
      return List.of();
    }
    return p.runtime().listContainers(p.sandboxId()).stream()
        .filter(c -> c.name().equals(container))
        .toList();
  }

  /** The container's current instance, which must be running (exec, attach). */
  static ContainerStatus running(LocatedPod p, String container) {
    List<ContainerStatus> all = instances(p, container);
    ContainerStatus last = all.isEmpty() ? null : all.getLast();
    if (last == null || last.state() != ContainerStatus.State.RUNNING) {
      throw new KubeletException(
          400,
          "container \""
              + container
              + "\" in pod \""
              + p.name()
              + "\" is not running; wait until it is (kubectl get pod "
              + p.name()
              + ")");
    }
    return last;
  }

  /** Where an instance's CRI log file is. */
  static Path logFile(LocatedPod p, ContainerStatus c) {
    if (p.logDirectory() != null) {
      return p.logDirectory().resolve(c.name()).resolve(c.attempt() + ".log");
    }
    if (p.runtime() instanceof ProcessRuntime pr) {
      return pr.logFile(c.id());
    }
    throw new KubeletException(
        400, "the " + p.runtime().version().runtimeName() + " runtime keeps no container logs");
  }
}
