package io.flotilla.node.runtime.simulated;

import java.util.BitSet;

/**
 * IPv4 addresses of one node's pod CIDR, handed out next-fit from .2 (the .1 of a bridge is its
 * gateway, as with CNI host-local), skipping the network and broadcast addresses. Not thread-safe
 * on its own: every method is synchronized.
 */
final class PodIpPool {
  private final String cidr;
  private final int base;
  private final int size;
  private final BitSet used;
  private int next = 2;

  PodIpPool(String cidr) {
    String[] parts = cidr.split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException(
          "pod CIDR \"" + cidr + "\" is not an IPv4 CIDR like 10.244.1.0/24");
    }
    int prefix = Integer.parseInt(parts[1]);
    if (prefix < 8 || prefix > 30) {
      throw new IllegalArgumentException(
          "pod CIDR \"" + cidr + "\": the prefix must be between /8 and /30");
    }
    this.cidr = cidr;
    this.size = 1 << (32 - prefix);
    this.base = parse(parts[0]) & -size;
    this.used = new BitSet(size);
  }

  String cidr() {
    return cidr;
  }

  synchronized int allocate() {
    for (int i = 0; i < size; i++) {
      int at = 2 + Math.floorMod(next - 2 + i, size - 3);
      if (!used.get(at)) {
        used.set(at);
        next = at + 1;
        return base + at;
      }
    }
    throw new IllegalStateException("pod CIDR " + cidr + " has no free address left");
  }

  synchronized void release(int ip) {
    int at = ip - base;
    if (at >= 0 && at < size) {
      used.clear(at);
    }
  }

  static int parse(String ip) {
    String[] o = ip.split("\\.");
    if (o.length != 4) {
      throw new IllegalArgumentException("\"" + ip + "\" is not an IPv4 address");
    }
    int v = 0;
    for (String s : o) {
      int b = Integer.parseInt(s);
      if (b < 0 || b > 255) {
        throw new IllegalArgumentException("\"" + ip + "\" is not an IPv4 address");
      }
      v = (v << 8) | b;
    }
    return v;
  }

  static String format(int ip) {
    return ((ip >>> 24) & 255)
        + "."
        + ((ip >>> 16) & 255)
        + "."
        + ((ip >>> 8) & 255)
        + "."
        + (ip & 255);
  }
}
