package io.flotilla.node.runtime.simulated;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What simulated nodes look like and how their agent paces itself. Build with {@link #defaults()}
 * and the {@code with…} methods; {@link #validate()} says what is wrong in words a user can act on.
 *
 * @param nodes how many nodes, named {@code namePrefix} + 0 … nodes-1
 * @param clusterCidr the range pod CIDRs are cut from, one /{@code nodeCidrMaskSize} per node in
 *     node order (upstream's node-ipam controller does this; the agent does it for its nodes)
 */
public record SimulatedNodeOptions(
    int nodes,
    String namePrefix,
    String cpu,
    String memory,
    int maxPods,
    Map<String, String> labels,
    List<Taint> taints,
    String clusterCidr,
    int nodeCidrMaskSize,
    Duration leaseRenewInterval,
    Duration statusReportInterval,
    Duration initialRestartBackoff,
    Duration maxRestartBackoff,
    int podWorkers,
    int nodeWorkers,
    Clock clock) {

  private static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

  public SimulatedNodeOptions {
    labels = Map.copyOf(labels);
    taints = List.copyOf(taints);
  }

  /** One node of 32 CPUs, 256Gi and 110 pods, kubelet's pacing. */
  public static SimulatedNodeOptions defaults() {
    return new SimulatedNodeOptions(
        1,
        "sim-",
        "32",
        "256Gi",
        110,
        Map.of(),
        List.of(),
        "10.244.0.0/16",
        24,
        Duration.ofSeconds(10),
        Duration.ofMinutes(5),
        Duration.ofSeconds(10),
        Duration.ofMinutes(5),
        16,
        8,
        Clock.systemUTC());
  }

  public SimulatedNodeOptions withNodes(int n) {
    return new SimulatedNodeOptions(
        n,
        namePrefix,
        cpu,
        memory,
        maxPods,
        labels,
        taints,
        clusterCidr,
        nodeCidrMaskSize,
        leaseRenewInterval,
        statusReportInterval,
        initialRestartBackoff,
        maxRestartBackoff,
        podWorkers,
        nodeWorkers,
        clock);
  }

  public SimulatedNodeOptions withNamePrefix(String p) {
    return new SimulatedNodeOptions(
        nodes,
        p,
        cpu,
        memory,
        maxPods,
        labels,
        taints,
        clusterCidr,
        nodeCidrMaskSize,
        leaseRenewInterval,
        statusReportInterval,
        initialRestartBackoff,
        maxRestartBackoff,
        podWorkers,
        nodeWorkers,
        clock);
  }

  public SimulatedNodeOptions withCapacity(String cpu, String memory, int maxPods) {
    return new SimulatedNodeOptions(
        nodes,
        namePrefix,
        cpu,
        memory,
        maxPods,
        labels,
        taints,
        clusterCidr,
        nodeCidrMaskSize,
        leaseRenewInterval,
        statusReportInterval,
        initialRestartBackoff,
        maxRestartBackoff,
        podWorkers,
        nodeWorkers,
        clock);
  }

  public SimulatedNodeOptions withLabels(Map<String, String> l) {
    return new SimulatedNodeOptions(
        nodes,
        namePrefix,
        cpu,
        memory,
        maxPods,
        l,
        taints,
        clusterCidr,
        nodeCidrMaskSize,
        leaseRenewInterval,
        statusReportInterval,
        initialRestartBackoff,
        maxRestartBackoff,
        podWorkers,
        nodeWorkers,
        clock);
  }

  public SimulatedNodeOptions withTaints(List<Taint> t) {
    return new SimulatedNodeOptions(
        nodes,
        namePrefix,
        cpu,
        memory,
        maxPods,
        labels,
        t,
        clusterCidr,
        nodeCidrMaskSize,
        leaseRenewInterval,
        statusReportInterval,
        initialRestartBackoff,
        maxRestartBackoff,
        podWorkers,
        nodeWorkers,
        clock);
  }

  public SimulatedNodeOptions withClusterCidr(String cidr, int maskSize) {
    return new SimulatedNodeOptions(
        nodes,
        namePrefix,
        cpu,
        memory,
        maxPods,
        labels,
        taints,
        cidr,
        maskSize,
        leaseRenewInterval,
        statusReportInterval,
        initialRestartBackoff,
        maxRestartBackoff,
        podWorkers,
        nodeWorkers,
        clock);
  }

  public SimulatedNodeOptions withIntervals(Duration leaseRenew, Duration statusReport) {
    return new SimulatedNodeOptions(
        nodes,
        namePrefix,
        cpu,
        memory,
        maxPods,
        labels,
        taints,
        clusterCidr,
        nodeCidrMaskSize,
        leaseRenew,
        statusReport,
        initialRestartBackoff,
        maxRestartBackoff,
        podWorkers,
        nodeWorkers,
        clock);
  }

  public SimulatedNodeOptions withRestartBackoff(Duration initial, Duration max) {
    return new SimulatedNodeOptions(
        nodes,
        namePrefix,
        cpu,
        memory,
        maxPods,
        labels,
        taints,
        clusterCidr,
        nodeCidrMaskSize,
        leaseRenewInterval,
        statusReportInterval,
        initial,
        max,
        podWorkers,
        nodeWorkers,
        clock);
  }

  public SimulatedNodeOptions withWorkers(int pods, int nodeWriters) {
    return new SimulatedNodeOptions(
        nodes,
        namePrefix,
        cpu,
        memory,
        maxPods,
        labels,
        taints,
        clusterCidr,
        nodeCidrMaskSize,
        leaseRenewInterval,
        statusReportInterval,
        initialRestartBackoff,
        maxRestartBackoff,
        pods,
        nodeWriters,
        clock);
  }

  public SimulatedNodeOptions withClock(Clock c) {
    return new SimulatedNodeOptions(
        nodes,
        namePrefix,
        cpu,
        memory,
        maxPods,
        labels,
        taints,
        clusterCidr,
        nodeCidrMaskSize,
        leaseRenewInterval,
        statusReportInterval,
        initialRestartBackoff,
        maxRestartBackoff,
        podWorkers,
        nodeWorkers,
        c);
  }

  /**
   * Checks the options.
   *
   * @throws IllegalArgumentException naming the option and what it should be
   */
  public SimulatedNodeOptions validate() {
    if (nodes < 1) {
      throw new IllegalArgumentException("--nodes must be at least 1, not " + nodes);
    }
    if (maxPods < 1) {
      throw new IllegalArgumentException("--max-pods must be at least 1, not " + maxPods);
    }
    quantity("--node-cpu", cpu);
    quantity("--node-memory", memory);
    if (notPositive(leaseRenewInterval) || notPositive(statusReportInterval)) {
      throw new IllegalArgumentException(
          "--lease-renew-interval and --status-report-interval must be positive");
    }
    if (podWorkers < 1 || nodeWorkers < 1) {
      throw new IllegalArgumentException("--pod-workers and --node-workers must be at least 1");
    }
    long slots = PodCidrs.capacity(clusterCidr, nodeCidrMaskSize);
    if (slots < nodes) {
      throw new IllegalArgumentException(
          "--cluster-cidr "
              + clusterCidr
              + " holds "
              + slots
              + " pod CIDRs of /"
              + nodeCidrMaskSize
              + " but --nodes is "
              + nodes
              + "; give a larger range, e.g. --cluster-cidr 10.128.0.0/9 (32768 nodes)");
    }
    if ((1L << (32 - nodeCidrMaskSize)) - 3 < maxPods) {
      throw new IllegalArgumentException(
          "a /" + nodeCidrMaskSize + " pod CIDR cannot address --max-pods " + maxPods);
    }
    return this;
  }

  private static boolean notPositive(Duration d) {
    return d.isNegative() || d.isZero();
  }

  private static void quantity(String option, String value) {
    try {
      Quantity.getAmountInBytes(new Quantity(value));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          option + ": \"" + value + "\" is not a quantity; use for example 32, 500m or 256Gi");
    }
  }

  /**
   * Parses {@code k=v,k2=v2}.
   *
   * @throws IllegalArgumentException when an item has no '='
   */
  public static Map<String, String> parseLabels(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String item : text.split(",")) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "--labels: \"" + item + "\" is not key=value (e.g. --labels zone=a,disk=ssd)");
      }
      out.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
    }
    return out;
  }

  /**
   * Parses {@code key=value:Effect,key:Effect}, the form kubectl taint takes.
   *
   * @throws IllegalArgumentException for a missing or unknown effect
   */
  public static List<Taint> parseTaints(String text) {
    List<Taint> out = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String item : text.split(",")) {
      int colon = item.lastIndexOf(':');
      String effect = colon < 0 ? "" : item.substring(colon + 1).trim();
      if (!EFFECTS.contains(effect)) {
        throw new IllegalArgumentException(
            "--taints: \""
                + item
                + "\" needs an effect NoSchedule, PreferNoSchedule or NoExecute"
                + " (e.g. dedicated=gpu:NoSchedule)");
      }
      String kv = item.substring(0, colon).trim();
      int eq = kv.indexOf('=');
      String key = eq < 0 ? kv : kv.substring(0, eq);
      String value = eq < 0 ? null : kv.substring(eq + 1);
      if (key.isEmpty()) {
        throw new IllegalArgumentException("--taints: \"" + item + "\" has no key");
      }
      out.add(new TaintBuilder().withKey(key).withValue(value).withEffect(effect).build());
    }
    return out;
  }
}
