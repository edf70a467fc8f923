package io.flotilla.node.runtime.simulated;

/**
 * Cuts a cluster CIDR into per-node pod CIDRs, in node order, as node-ipam's range allocator does.
 */
final class PodCidrs {
  private PodCidrs() {}

  /** How many /{@code mask} pod CIDRs fit in {@code clusterCidr}. */
  static long capacity(String clusterCidr, int mask) {
    int prefix = prefix(clusterCidr);
    if (mask < prefix || mask > 30) {
      throw new IllegalArgumentException(
          "node CIDR mask /"
              + mask
              + " must lie between the cluster CIDR's /"
              + prefix
              + " and /30");
    }
    return 1L << (mask - prefix);
  }

  /** The {@code index}th pod CIDR. */
  static String nth(String clusterCidr, int mask, int index) {
    int base = PodIpPool.parse(clusterCidr.split("/")[0]);
    int size = 1 << (32 - mask);
    return PodIpPool.format(base + index * size) + "/" + mask;
  }

  private static int prefix(String cidr) {
    String[] parts = cidr.split("/");
    try {
      if (parts.length == 2) {
        PodIpPool.parse(parts[0]);
        return Integer.parseInt(parts[1]);
      }
    } catch (IllegalArgumentException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException(
        "--cluster-cidr \"" + cidr + "\" is not an IPv4 CIDR like 10.244.0.0/16");
  }
}
