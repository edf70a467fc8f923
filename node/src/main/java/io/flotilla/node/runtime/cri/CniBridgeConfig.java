package io.flotilla.node.runtime.cri;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The CNI network a node's pods join: a Linux bridge that is the pods' gateway, {@code host-local}
 * addresses from the node's pod CIDR. No {@code portmap}: the agent passes no port mappings
 * (hostPort is not supported yet), and every plugin in the chain is one more process per pod start
 * and stop, which is what bounds pod startup on a small machine. Written as a conflist (cniVersion
 * 0.4.0, which the Debian plugins and containerd 1.6 both speak) into the directory containerd's
 * CRI plugin reads ({@code [plugins."io.containerd.grpc.v1.cri".cni] conf_dir}).
 *
 * @param networkName the CNI network name (also host-local's allocation directory name)
 * @param bridge the bridge device, at most 15 characters (a Linux interface name)
 * @param subnet the pod CIDR, for example {@code 10.250.0.0/24}
 * @param ipamDataDir where host-local records allocated addresses (default /var/lib/cni/networks)
 */
public record CniBridgeConfig(String networkName, String bridge, String subnet, Path ipamDataDir) {
  /** The file name written; containerd uses the first conflist in name order. */
  public static final String FILE_NAME = "10-flotilla.conflist";

  public CniBridgeConfig {
    if (bridge.isEmpty() || bridge.length() > 15) {
      throw new IllegalArgumentException(
          "CNI bridge name '" + bridge + "' must have 1 to 15 characters (a Linux interface name)");
    }
    if (!subnet.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")) {
      throw new IllegalArgumentException(
          "Pod CIDR '" + subnet + "' is not an IPv4 CIDR like 10.244.0.0/24");
    }
  }

  /** The conflist JSON. */
  public String toJson() {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("cniVersion", "0.4.0");
    root.put("name", networkName);
    ArrayNode plugins = root.putArray("plugins");

    ObjectNode bridgePlugin = plugins.addObject();
    bridgePlugin.put("type", "bridge");
    bridgePlugin.put("bridge", bridge);
    bridgePlugin.put("isGateway", true);
    // No masquerading: pod traffic stays on this machine unless the node's own rules route it.
    bridgePlugin.put("ipMasq", false);
    bridgePlugin.put("hairpinMode", true);
    ObjectNode ipam = bridgePlugin.putObject("ipam");
    ipam.put("type", "host-local");
    ipam.putArray("ranges").addArray().addObject().put("subnet", subnet);
    ipam.put("dataDir", ipamDataDir.toString());

    try {
      return json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the conflist into {@code confDir} (atomically: containerd watches that directory). */
  public Path write(Path confDir) {
    try {
      Files.createDirectories(confDir);
      Path tmp = Files.createTempFile(confDir, ".flotilla", ".tmp");
      Files.writeString(tmp, toJson());
      return Files.move(tmp, confDir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the CNI config into " + confDir, e);
    }
  }
}
