package io.flotilla.api.validation;

import java.util.regex.Pattern;

/** Textual IP address and CIDR checks without name resolution. */
final class IpAddresses {
  private IpAddresses() {}

  private static final Pattern V4 =
      Pattern.compile(
          "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
              + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
  private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]+");

  static boolean isIpv4(String s) {
    return V4.matcher(s).matches();
  }

  /** IPv4 dotted quad, or IPv6 in any of its textual forms (checked by the JDK's parser). */
  static boolean isIp(String s) {
    if (isIpv4(s)) {
      return true;
    }
    if (!s.contains(":") || !V6.matcher(s).matches()) {
      return false;
    }
    try {
      // A literal with only hex digits, ':' and '.' is parsed, never resolved.
      return java.net.InetAddress.getByName(s) instanceof java.net.Inet6Address;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** "10.0.0.0/8" or "fd00::/64". */
  static boolean isCidr(String s) {
    int slash = s.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String ip = s.substring(0, slash);
    String bits = s.substring(slash + 1);
    if (!bits.matches("[0-9]{1,3}") || !isIp(ip)) {
      return false;
    }
    int n = Integer.parseInt(bits);
    return isIpv4(ip) ? n <= 32 : n <= 128;
  }
}
