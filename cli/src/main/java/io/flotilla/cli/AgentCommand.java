package io.flotilla.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.flotilla.node.AgentOptions;
import io.flotilla.node.runtime.cri.CriAgent;
import io.flotilla.node.runtime.cri.CriClient;
import io.flotilla.node.runtime.cri.CriRuntime;
import io.flotilla.node.runtime.process.HostNode;
import io.flotilla.node.runtime.process.ProcessAgent;
import io.flotilla.node.runtime.simulated.SimulatedAgent;
import io.flotilla.node.runtime.simulated.SimulatedNodeOptions;
import io.flotilla.node.server.KubeletServer;
import io.flotilla.node.server.KubeletTls;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla agent}: a node agent. {@code --runtime cri} registers this machine and runs its
 * pods in containerd; {@code --runtime process} runs them as host processes; {@code --runtime
 * simulated} serves many fake nodes.
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description =
        "Register nodes with the API server and run the pods bound to them. --runtime cri"
            + " registers this machine and runs its pods in containerd; --runtime process"
            + " registers this machine and runs its pods' commands as host processes;"
            + " --runtime simulated serves many fake nodes from this process (for scale tests and"
            + " demos).")
final class AgentCommand implements Callable<Integer> {

  /** The runtimes an agent can drive. */
  enum RuntimeKind {
    simulated,
    cri,
    process
  }

  @Option(
      names = "--runtime",
      required = true,
      description =
          "cri (this machine, containers through containerd), process (this machine, host"
              + " processes) or simulated.")
  RuntimeKind runtime;

  @Option(
      names = "--containerd-socket",
      paramLabel = "SOCKET",
      description = "cri: containerd's CRI socket (default: ${DEFAULT-VALUE}).")
  Path containerdSocket = Path.of("/run/containerd/containerd.sock");

  @Option(
      names = "--cni-conf-dir",
      paramLabel = "DIR",
      description =
          "cri: where the agent writes the bridge CNI conflist for the node's pod CIDR (containerd's"
              + " CNI conf_dir; default: ${DEFAULT-VALUE}). Give an empty value when another"
              + " network plugin owns the CNI config.")
  String cniConfDir = "/etc/cni/net.d";

  @Option(
      names = "--pod-cidr",
      paramLabel = "CIDR",
      description =
          "cri: the pod CIDR the node claims when the control plane has given it none"
              + " (default: ${DEFAULT-VALUE}).")
  String podCidr = "10.244.0.0/24";

  @Option(
      names = "--kubeconfig",
      required = true,
      paramLabel = "FILE",
      description = "How to reach the API server.")
  Path kubeconfig;

  @Option(names = "--nodes", description = "How many simulated nodes (default: ${DEFAULT-VALUE}).")
  int nodes = 1;

  @Option(
      names = "--name-prefix",
      description = "Node names are PREFIX0, PREFIX1, … (default: ${DEFAULT-VALUE}).")
  String namePrefix = "sim-";

  @Option(
      names = "--node-cpu",
      description = "CPU capacity of each node (default: ${DEFAULT-VALUE}).")
  String cpu = "32";

  @Option(
      names = "--node-memory",
      description = "Memory capacity of each node (default: ${DEFAULT-VALUE}).")
  String memory = "256Gi";

  @Option(
      names = "--max-pods",
      description = "Pod capacity of each node (default: ${DEFAULT-VALUE}).")
  int maxPods = 110;

  @Option(names = "--labels", paramLabel = "K=V,…", description = "Extra labels on every node.")
  String labels = "";

  @Option(
      names = "--taints",
      paramLabel = "KEY[=VALUE]:EFFECT,…",
      description = "Taints on every node, e.g. dedicated=gpu:NoSchedule.")
  String taints = "";

  @Option(
      names = "--cluster-cidr",
      paramLabel = "CIDR",
      description =
          "Range the nodes' pod CIDRs are cut from, one per node in order (default: ${DEFAULT-VALUE};"
              + " 256 nodes of /24; use 10.128.0.0/9 for up to 32768).")
  String clusterCidr = "10.244.0.0/16";

  @Option(
      names = "--node-cidr-mask-size",
      description = "Prefix length of each node's pod CIDR (default: ${DEFAULT-VALUE}).")
  int nodeCidrMaskSize = 24;

  @Option(
      names = "--lease-renew-interval",
      paramLabel = "DURATION",
      description = "How often each node's Lease is renewed (default: ${DEFAULT-VALUE}).")
  String leaseRenewInterval = "10s";

  @Option(
      names = "--status-report-interval",
      paramLabel = "DURATION",
      description =
          "How often unchanged node conditions are reported again (default: ${DEFAULT-VALUE}).")
  String statusReportInterval = "5m";

  @Option(
      names = "--pod-workers",
      description = "Pods synced (status written) at once (default: ${DEFAULT-VALUE}).")
  int podWorkers = 16;

  @Option(
      names = "--node-workers",
      description =
          "Node writes (registration, Lease, status) at once (default: ${DEFAULT-VALUE}).")
  int nodeWorkers = 8;

  @Option(
      names = "--node-name",
      paramLabel = "NAME",
      description = "process: the Node's name (default: this machine's host name).")
  String nodeName;

  @Option(
      names = "--node-ip",
      paramLabel = "IP",
      description =
          "process: the node's InternalIP, which its pods report as their IP too (default:"
              + " ${DEFAULT-VALUE}).")
  String nodeIp = "127.0.0.1";

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "process: where pod volumes, logs and sandboxes live (default: ${DEFAULT-VALUE}).")
  Path dataDir = Path.of("/var/lib/flotilla/agent");

  @Option(
      names = "--kubelet-port",
      description =
          "process: port of the kubelet API (logs, exec, attach, port-forward through the API"
              + " server; 0 picks a free one; default: ${DEFAULT-VALUE}).")
  int kubeletPort = 10250;

  @Option(
      names = "--kubelet-address",
      paramLabel = "IP",
      description = "process: address the kubelet API listens on (default: ${DEFAULT-VALUE}).")
  String kubeletAddress = "0.0.0.0";

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintStream err = System.err;
    if (runtime == RuntimeKind.cri) {
      return runCri(err);
    }
    if (runtime == RuntimeKind.process) {
      return runProcess(err);
    }
    SimulatedNodeOptions opts;
    try {
      opts =
          SimulatedNodeOptions.defaults()
              .withNodes(nodes)
              .withNamePrefix(namePrefix)
              .withCapacity(cpu, memory, maxPods)
              .withLabels(SimulatedNodeOptions.parseLabels(labels))
              .withTaints(SimulatedNodeOptions.parseTaints(taints))
              .withClusterCidr(clusterCidr, nodeCidrMaskSize)
              .withIntervals(
                  ServerOptions.parseDuration("--lease-renew-interval", leaseRenewInterval),
                  ServerOptions.parseDuration("--status-report-interval", statusReportInterval))
              .withWorkers(podWorkers, nodeWorkers)
              .validate();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (!Files.isReadable(kubeconfig)) {
      throw new ParameterException(
          spec.commandLine(),
          "--kubeconfig "
              + kubeconfig
              + " is not readable; `flotilla server` writes DIR/admin.kubeconfig");
    }
    KubernetesClient client = client(kubeconfig);
    long t0 = System.nanoTime();
    SimulatedAgent agent;
    try {
      agent = SimulatedAgent.start(client, opts);
    } catch (RuntimeException e) {
      client.close();
      err.println("flotilla: cannot start the agent: " + e.getMessage());
      return 1;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    CountDownLatch stopped = new CountDownLatch(1);
    java.lang.Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  err.println("flotilla: stopping the agent");
                  agent.close();
                  client.close();
                  stopped.countDown();
                },
                "flotilla-agent-shutdown"));
    err.printf(
        "flotilla: %d simulated node(s) %s0…%s%d registered in %d ms; serving their pods%n",
        nodes, namePrefix, namePrefix, nodes - 1, took.toMillis());
    err.println("flotilla: Ctrl-C stops the agent (the Nodes stay and go NotReady).");
    stopped.await();
    return 0;
  }

  private int runProcess(PrintStream err) throws Exception {
    if (!Files.isReadable(kubeconfig)) {
      throw new ParameterException(
          spec.commandLine(),
          "--kubeconfig "
              + kubeconfig
              + " is not readable; `flotilla server` writes DIR/admin.kubeconfig");
    }
    String name = nodeName == null || nodeName.isBlank() ? HostNode.hostname() : nodeName;
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new ParameterException(
          spec.commandLine(),
          "--data-dir " + dataDir + " cannot be created (" + e.getMessage() + "); pick another");
    }
    if (kubeletPort < 0 || kubeletPort > 65535) {
      throw new ParameterException(
          spec.commandLine(), "--kubelet-port " + kubeletPort + " is not a port (0-65535)");
    }
    KubernetesClient client = client(kubeconfig);
    ProcessAgent agent;
    try {
      KubeletServer.Options kubelet =
          kubeletOptions(client, dataDir.toAbsolutePath(), nodeIp, kubeletAddress, kubeletPort);
      if (kubelet == null) {
        err.println(
            "flotilla: the kubeconfig names no certificate-authority, so client certificates"
                + " cannot be checked: the kubelet API (logs, exec, port-forward) is not served");
      }
      agent =
          ProcessAgent.start(
              client, name, nodeIp, dataDir.toAbsolutePath(), AgentOptions.defaults(), kubelet);
    } catch (RuntimeException e) {
      client.close();
      err.println("flotilla: cannot start the agent: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    java.lang.Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  err.println("flotilla: stopping the agent (its pods' processes stop too)");
                  agent.close();
                  client.close();
                  stopped.countDown();
                },
                "flotilla-agent-shutdown"));
    err.printf(
        "flotilla: node %s registered (process runtime, data in %s); running its pods%n",
        name, dataDir.toAbsolutePath());
    if (agent.kubeletServer() != null) {
      err.printf(
          "flotilla: kubelet API on https://%s:%d%n", kubeletAddress, agent.kubeletServer().port());
    }
    err.println("flotilla: Ctrl-C stops the agent and its pods' processes.");
    stopped.await();
    return 0;
  }

  private int runCri(PrintStream err) throws Exception {
    if (!Files.isReadable(kubeconfig)) {
      throw new ParameterException(
          spec.commandLine(),
          "--kubeconfig "
              + kubeconfig
              + " is not readable; `flotilla server` writes DIR/admin.kubeconfig");
    }
    String name = nodeName == null || nodeName.isBlank() ? HostNode.hostname() : nodeName;
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new ParameterException(
          spec.commandLine(),
          "--data-dir " + dataDir + " cannot be created (" + e.getMessage() + "); pick another");
    }
    CriClient cri;
    try {
      cri = CriClient.connect(containerdSocket);
      cri.version();
    } catch (RuntimeException e) {
      err.println(
          "flotilla: cannot reach containerd: "
              + e.getMessage()
              + " (start containerd, or use `flotilla up`, which starts its own)");
      return 1;
    }
    Path dir = dataDir.toAbsolutePath();
    CriRuntime.CniSetup cni =
        cniConfDir.isBlank()
            ? null
            : new CriRuntime.CniSetup(
                Path.of(cniConfDir), "flotilla", "flotilla0", dir.resolve("cni/ipam"));
    KubernetesClient client = client(kubeconfig);
    CriAgent agent;
    try {
      agent =
          CriAgent.start(
              client,
              cri,
              CriAgent.Options.of(name, nodeIp, dir, cni)
                  .withPodCidr(podCidr)
                  .withKubelet(kubeletOptions(client, dir, nodeIp, kubeletAddress, kubeletPort)));
    } catch (RuntimeException e) {
      client.close();
      cri.close();
      err.println("flotilla: cannot start the agent: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    java.lang.Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  err.println(
                      "flotilla: stopping the agent (containers keep running in containerd)");
                  agent.close();
                  client.close();
                  cri.close();
                  stopped.countDown();
                },
                "flotilla-agent-shutdown"));
    err.printf(
        "flotilla: node %s registered (cri runtime: %s on %s, data in %s); running its pods%n",
        name, agent.runtime().version().nodeInfoForm(), containerdSocket, dir);
    err.println("flotilla: Ctrl-C stops the agent.");
    stopped.await();
    return 0;
  }

  /**
   * The kubelet API server of a process agent: a self-signed serving certificate kept in {@code
   * DATA/pki}, client certificates checked against the kubeconfig's CA; null when it names none.
   */
  static KubeletServer.Options kubeletOptions(
      KubernetesClient client, Path dataDir, String nodeIp, String address, int port) {
    var cas = KubeletTls.clusterCas(client.getConfiguration());
    if (cas.isEmpty()) {
      return null;
    }
    KubeletTls tls =
        KubeletTls.create(
            dataDir.resolve("pki"),
            java.util.List.of(nodeIp, HostNode.hostname()),
            cas,
            java.time.Clock.systemUTC());
    return new KubeletServer.Options(address, port, tls);
  }

  static KubernetesClient client(Path kubeconfig) throws IOException {
    if (!Files.isReadable(kubeconfig)) {
      throw new IllegalArgumentException(
          "--kubeconfig "
              + kubeconfig
              + " is not readable; flotilla server writes DIR/admin.kubeconfig");
    }
    Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
    config.setMaxConcurrentRequests(512);
    config.setMaxConcurrentRequestsPerHost(512);
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
