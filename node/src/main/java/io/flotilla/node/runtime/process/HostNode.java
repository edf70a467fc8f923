package io.flotilla.node.runtime.process;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddressBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.flotilla.node.NodeTemplates;
import io.flotilla.node.storage.LocalPathSweep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The Node this machine registers as: capacity from the host (CPU count, MemTotal from {@code
 * /proc/meminfo}, 110 pods, the data dir's file system as ephemeral-storage), nodeInfo from the
 * kernel and {@code /etc/os-release}, addresses InternalIP (the node IP, which every pod of the
 * process runtime also reports) and Hostname.
 */
public final class HostNode {
  private HostNode() {}

  /** This machine's host name, as {@code hostname} prints it, lower-cased. */
  public static String hostname() {
    String h = read(Path.of("/proc/sys/kernel/hostname"), "");
    if (h.isEmpty()) {
      h = System.getenv().getOrDefault("HOSTNAME", "localhost");
    }
    return h.trim().toLowerCase(Locale.ROOT);
  }

  public static Node template(
      String name, String nodeIp, String podCidr, Path dataDir, int maxPods, Instant now) {
    return template(
        name, nodeIp, podCidr, dataDir, maxPods, now, ProcessRuntime.VERSION.nodeInfoForm(), 10250);
  }

  /**
   * As above, with the runtime's {@code nodeInfo.containerRuntimeVersion} (containerd://1.6.20) and
   * the port the agent's kubelet API server listens on (daemonEndpoints).
   */
  public static Node template(
      String name,
      String nodeIp,
      String podCidr,
      Path dataDir,
      int maxPods,
      Instant now,
      String containerRuntimeVersion,
      int kubeletPort) {
    Map<String, String> labels = new LinkedHashMap<>();
    String arch = arch();
    labels.put("kubernetes.io/hostname", name);
    labels.put("kubernetes.io/os", "linux");
    labels.put("kubernetes.io/arch", arch);
    labels.put("beta.kubernetes.io/os", "linux");
    labels.put("beta.kubernetes.io/arch", arch);
    Map<String, Quantity> capacity = new LinkedHashMap<>();
    capacity.put("cpu", new Quantity(Integer.toString(Runtime.getRuntime().availableProcessors())));
    capacity.put("memory", new Quantity(memTotalKi() + "Ki"));
    capacity.put("pods", new Quantity(Integer.toString(maxPods)));
    capacity.put("ephemeral-storage", new Quantity(Long.toString(diskBytes(dataDir))));
    String machineId = read(Path.of("/etc/machine-id"), "").trim();
    String bootId = read(Path.of("/proc/sys/kernel/random/boot_id"), "").trim();
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .withAnnotations(
            Map.of(
                "node.alpha.kubernetes.io/ttl",
                "0",
                LocalPathSweep.DIR_ANNOTATION,
                LocalPathSweep.storageDir(dataDir).toString()))
        .endMetadata()
        .withNewSpec()
        .withPodCIDR(podCidr)
        .withPodCIDRs(podCidr)
        .endSpec()
        .withNewStatus()
        .withCapacity(capacity)
        .withAllocatable(capacity)
        .withConditions(NodeTemplates.healthyConditions(now))
        .withAddresses(
            new NodeAddressBuilder().withType("InternalIP").withAddress(nodeIp).build(),
            new NodeAddressBuilder().withType("Hostname").withAddress(hostname()).build())
        .withNewDaemonEndpoints()
        .withNewKubeletEndpoint()
        .withPort(kubeletPort)
        .endKubeletEndpoint()
        .endDaemonEndpoints()
        .withNewNodeInfo()
        .withMachineID(machineId)
        .withSystemUUID(machineId)
        .withBootID(bootId)
        .withKernelVersion(read(Path.of("/proc/sys/kernel/osrelease"), "unknown").trim())
        .withOsImage(osImage())
        .withContainerRuntimeVersion(containerRuntimeVersion)
        .withKubeletVersion(NodeTemplates.KUBELET_VERSION)
        .withKubeProxyVersion("")
        .withOperatingSystem("linux")
        .withArchitecture(arch)
        .endNodeInfo()
        .endStatus()
        .build();
  }

  static long memTotalKi() {
    for (String line : read(Path.of("/proc/meminfo"), "").split("\n")) {
      if (line.startsWith("MemTotal:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return Runtime.getRuntime().maxMemory() / 1024;
  }

  static String osImage() {
    for (String line : read(Path.of("/etc/os-release"), "").split("\n")) {
      if (line.startsWith("PRETTY_NAME=")) {
        return line.substring("PRETTY_NAME=".length()).replace("\"", "");
      }
    }
    return "Linux";
  }

  static String arch() {
    String a = System.getProperty("os.arch");
    return switch (a) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64" -> "arm64";
      default -> a;
    };
  }

  private static long diskBytes(Path dir) {
    try {
      Files.createDirectories(dir);
      return Files.getFileStore(dir).getTotalSpace();
    } catch (IOException e) {
      return 0;
    }
  }

  private static String read(Path p, String dflt) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return dflt;
    }
  }
}
