package io.flotilla.node.runtime.simulated;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddressBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.flotilla.node.NodeTemplates;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Node objects simulated nodes register with: kubelet's well-known labels plus the user's, the
 * taints, capacity = allocatable from the options, nodeInfo saying "simulated", an InternalIP from
 * 172.16.0.0/12 and a Hostname address, and a pod CIDR cut from the cluster CIDR.
 */
final class SimulatedNodes {
  private SimulatedNodes() {}

  /** The instance type label simulated nodes carry. */
  static final String INSTANCE_TYPE = "simulated";

  static List<Node> templates(SimulatedNodeOptions o, Instant now) {
    List<Node> out = new ArrayList<>(o.nodes());
    for (int i = 0; i < o.nodes(); i++) {
      out.add(template(o, i, now));
    }
    return out;
  }

  static Node template(SimulatedNodeOptions o, int index, Instant now) {
    String name = o.namePrefix() + index;
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("kubernetes.io/hostname", name);
    labels.put("kubernetes.io/os", "linux");
    labels.put("kubernetes.io/arch", "amd64");
    labels.put("beta.kubernetes.io/os", "linux");
    labels.put("beta.kubernetes.io/arch", "amd64");
    labels.put("node.kubernetes.io/instance-type", INSTANCE_TYPE);
    labels.putAll(o.labels());
    Map<String, Quantity> capacity = new LinkedHashMap<>();
    capacity.put("cpu", new Quantity(o.cpu()));
    capacity.put("memory", new Quantity(o.memory()));
    capacity.put("pods", new Quantity(Integer.toString(o.maxPods())));
    capacity.put("ephemeral-storage", new Quantity("100Gi"));
    capacity.put("hugepages-1Gi", new Quantity("0"));
    capacity.put("hugepages-2Mi", new Quantity("0"));
    String podCidr = PodCidrs.nth(o.clusterCidr(), o.nodeCidrMaskSize(), index);
    String id = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .withAnnotations(
            Map.of(
                "node.alpha.kubernetes.io/ttl", "0",
                "volumes.kubernetes.io/controller-managed-attach-detach", "true"))
        .endMetadata()
        .withNewSpec()
        .withPodCIDR(podCidr)
        .withPodCIDRs(podCidr)
        .withTaints(o.taints())
        .endSpec()
        .withNewStatus()
        .withCapacity(capacity)
        .withAllocatable(capacity)
        .withConditions(NodeTemplates.healthyConditions(now))
        .withAddresses(
            new NodeAddressBuilder().withType("InternalIP").withAddress(nodeIp(index)).build(),
            new NodeAddressBuilder().withType("Hostname").withAddress(name).build())
        .withNewDaemonEndpoints()
        .withNewKubeletEndpoint()
        .withPort(10250)
        .endKubeletEndpoint()
        .endDaemonEndpoints()
        .withNewNodeInfo()
        .withMachineID(id.replace("-", ""))
        .withSystemUUID(id)
        .withBootID(
            UUID.nameUUIDFromBytes((name + "/boot").getBytes(StandardCharsets.UTF_8)).toString())
        .withKernelVersion("simulated")
        .withOsImage("Flotilla simulated node")
        .withContainerRuntimeVersion(SimulatedRuntime.VERSION.nodeInfoForm())
        .withKubeletVersion(NodeTemplates.KUBELET_VERSION)
        .withKubeProxyVersion("")
        .withOperatingSystem("linux")
        .withArchitecture("amd64")
        .endNodeInfo()
        .endStatus()
        .build();
  }

  /** 172.16.0.1 onwards: node addresses that no pod CIDR overlaps. */
  static String nodeIp(int index) {
    return PodIpPool.format(PodIpPool.parse("172.16.0.0") + 1 + index);
  }
}
