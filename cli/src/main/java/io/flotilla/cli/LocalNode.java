package io.flotilla.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flotilla.node.AgentOptions;
import io.flotilla.node.runtime.cri.CriAgent;
import io.flotilla.node.runtime.cri.LocalContainerd;
import io.flotilla.node.runtime.cri.LocalImages;
import io.flotilla.node.runtime.process.HostNode;
import io.flotilla.node.runtime.process.ProcessAgent;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The node {@code flotilla up} runs in its own process: the {@code cri} runtime when containerd is
 * installed (the containerd answering on /run/containerd/containerd.sock, else one started under
 * {@code DIR/containerd}), otherwise, or when that fails under {@code auto}, the {@code process}
 * runtime. Closing it stops the agent, then removes the pods' sandboxes and stops the containerd it
 * started.
 *
 * <p>Threading: start and close from one thread.
 */
final class LocalNode implements AutoCloseable {
  /** What {@code up --runtime} asks for. */
  enum Kind {
    auto,
    cri,
    process
  }

  /** kubelet's port, on loopback: the API server reaches the node at 127.0.0.1. */
  static final int KUBELET_PORT = 10250;

  private final List<AutoCloseable> parts;

  private LocalNode(List<AutoCloseable> parts) {
    this.parts = parts;
  }

  static LocalNode start(Path kubeconfig, Path dataDir, Kind kind, PrintStream err)
      throws Exception {
    String name = HostNode.hostname();
    Path dir = dataDir.resolve("node").toAbsolutePath();
    Files.createDirectories(dir);
    if (kind == Kind.cri || (kind == Kind.auto && LocalContainerd.installed())) {
      try {
        return startCri(kubeconfig, dataDir, name, dir, err);
      } catch (RuntimeException e) {
        if (kind == Kind.cri) {
          throw e;
        }
        err.println(
            "flotilla: containerd is installed but the cri runtime could not start ("
                + e.getMessage()
                + "); falling back to the process runtime");
      }
    }
    KubernetesClient client = AgentCommand.client(kubeconfig);
    List<AutoCloseable> parts = new ArrayList<>();
    parts.add(client);
    try {
      // The kubelet API (logs, exec, port-forward) on kubelet's port, checked against this CA.
      parts.add(
          ProcessAgent.start(
              client,
              name,
              "127.0.0.1",
              dir,
              AgentOptions.defaults(),
              AgentCommand.kubeletOptions(client, dir, "127.0.0.1", "127.0.0.1", KUBELET_PORT)));
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    err.printf(
        "flotilla: node %s registered (process runtime: pods run as host processes, data in"
            + " %s)%n",
        name, dir);
    err.printf(
        "flotilla: then:  KUBECONFIG=%s kubectl run hello --image=none --command -- sh -c 'echo"
            + " hello; sleep 3600'%n",
        kubeconfig);
    return new LocalNode(parts);
  }

  private static LocalNode startCri(
      Path kubeconfig, Path dataDir, String name, Path dir, PrintStream err) throws Exception {
    LocalContainerd containerd =
        LocalContainerd.connectOrStart(
            LocalContainerd.DEFAULT_SOCKET,
            dataDir.resolve("containerd").toAbsolutePath(),
            List.of(LocalImages.PAUSE));
    List<AutoCloseable> parts = new ArrayList<>();
    // Closed in reverse: the agent first, then containerd (sandboxes removed), then the client.
    parts.add(containerd);
    boolean busybox = true;
    try {
      LocalImages.ensure(
          containerd.client(),
          dataDir.resolve("containerd/images").toAbsolutePath(),
          List.of(LocalImages.BUSYBOX));
    } catch (RuntimeException e) {
      busybox = false;
      err.println("flotilla: no local busybox image (" + e.getMessage() + ")");
    }
    KubernetesClient client;
    try {
      client = AgentCommand.client(kubeconfig);
    } catch (Exception e) {
      containerd.close();
      throw e;
    }
    parts.add(client);
    try {
      parts.add(
          CriAgent.start(
              client,
              containerd.client(),
              CriAgent.Options.of(name, "127.0.0.1", dir, containerd.cni())
                  .withKubelet(
                      AgentCommand.kubeletOptions(
                          client, dir, "127.0.0.1", "127.0.0.1", KUBELET_PORT))));
    } catch (RuntimeException e) {
      new LocalNode(parts).close();
      throw e;
    }
    CriAgent agent = (CriAgent) parts.getLast();
    err.printf(
        "flotilla: node %s registered (cri runtime: %s, %s containerd on %s, data in %s)%n",
        name,
        agent.runtime().version().nodeInfoForm(),
        containerd.started() ? "own" : "the running",
        containerd.socket(),
        dir);
    if (busybox) {
      err.printf(
          "flotilla: then:  KUBECONFIG=%s kubectl run hello --image=busybox"
              + " --image-pull-policy=IfNotPresent --command -- sh -c 'echo hello; sleep 3600'%n",
          kubeconfig);
    }
    return new LocalNode(parts);
  }

  @Override
  public void close() throws Exception {
    for (int i = parts.size() - 1; i >= 0; i--) {
      try {
        parts.get(i).close();
      } catch (Exception e) {
        System.err.println("flotilla: while stopping the node: " + e);
      }
    }
  }
}
