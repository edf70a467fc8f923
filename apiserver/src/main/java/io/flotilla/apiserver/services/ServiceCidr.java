package io.flotilla.apiserver.services;

/**
 * The IPv4 range Service cluster IPs come from, as "10.96.0.0/12". Its network and broadcast
 * addresses are never handed out; its first address is the {@code kubernetes} Service's.
 *
 * @param base the network address as an unsigned 32-bit number
 * @param prefixLength the number of network bits, 8 to 30
 */
public record ServiceCidr(long base, int prefixLength) {
  /** kubeadm's default. */
  public static final String DEFAULT = "10.96.0.0/12";

  public ServiceCidr {
    if (prefixLength < 8 || prefixLength > 30) {
      throw new IllegalArgumentException(
          "the service CIDR's prefix length must be between 8 and 30, got " + prefixLength);
    }
    if ((base & (size(prefixLength) - 1)) != 0) {
      throw new IllegalArgumentException(
          "the service CIDR "
              + format(base)
              + "/"
              + prefixLength
              + " has host bits set; the network is "
              + format(base & ~(size(prefixLength) - 1) & 0xffffffffL)
              + "/"
              + prefixLength);
    }
  }

  /** Parses "a.b.c.d/n"; fails with a message naming what is wrong. */
  public static ServiceCidr parse(String cidr) {
    int slash = cidr == null ? -1 : cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException(
          "the service CIDR must look like 10.96.0.0/12, got '" + cidr + "'");
    }
    Long ip = parseIp(cidr.substring(0, slash));
    if (ip == null) {
      throw new IllegalArgumentException(
          "the service CIDR must be an IPv4 network like 10.96.0.0/12, got '" + cidr + "'");
    }
    int bits;
    try {
      bits = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "the service CIDR's prefix length is not a number: '" + cidr + "'");
    }
    return new ServiceCidr(ip, bits);
  }

  private static long size(int prefixLength) {
    return 1L << (32 - prefixLength);
  }

  /** Addresses in the range, network and broadcast included. */
  public long size() {
    return size(prefixLength);
  }

  /** The address at an offset from the network address. */
  public String address(long offset) {
    return format(base + offset);
  }

  /** The {@code kubernetes} Service's address: the first after the network address. */
  public String first() {
    return address(1);
  }

  /**
   * The offset of an address that may be allocated (inside, neither network nor broadcast), or -1.
   */
  public long offsetOf(String ip) {
    Long v = parseIp(ip);
    if (v == null) {
      return -1;
    }
    long offset = v - base;
    return offset >= 1 && offset < size() - 1 ? offset : -1;
  }

  public boolean contains(String ip) {
    return offsetOf(ip) >= 0;
  }

  /** The dotted-quad value of an address, or null when it is not a canonical IPv4 address. */
  static Long parseIp(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    long v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        return null;
      }
      int octet = Integer.parseInt(p);
      if (octet > 255 || (p.length() > 1 && p.charAt(0) == '0')) {
        return null;
      }
      v = (v << 8) | octet;
    }
    return v;
  }

  static String format(long v) {
    return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
  }

  @Override
  public String toString() {
    return format(base) + "/" + prefixLength;
  }
}
