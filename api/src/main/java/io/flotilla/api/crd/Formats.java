package io.flotilla.api.crd;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The string formats a CRD schema may check, with upstream's meaning (kube-openapi's format
 * registry). Formats not listed here, and numeric formats such as int32 or double, are not checked,
 * as upstream does not check them.
 */
final class Formats {
  private Formats() {}

  private static final Pattern UUID =
      Pattern.compile("(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$");
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+$");
  private static final Pattern HOSTNAME =
      Pattern.compile(
          "^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$");
  private static final Pattern MAC =
      Pattern.compile(
          "^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$|^([0-9A-Fa-f]{4}\\.){2}[0-9A-Fa-f]{4}$");
  private static final Pattern IPV4 =
      Pattern.compile(
          "^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
  private static final Pattern DURATION =
      Pattern.compile("^[-+]?((\\d+(\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h|d|w))+$|^0$");
  private static final Pattern HEXCOLOR = Pattern.compile("^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$");

  private static final Map<String, Predicate<String>> CHECKS =
      Map.ofEntries(
          Map.entry("byte", Formats::base64),
          Map.entry("date", Formats::date),
          Map.entry("date-time", Formats::dateTime),
          Map.entry("datetime", Formats::dateTime),
          Map.entry("duration", s -> DURATION.matcher(s).matches()),
          Map.entry("uuid", s -> UUID.matcher(s).matches()),
          Map.entry("email", s -> EMAIL.matcher(s).matches()),
          Map.entry("hostname", s -> s.length() <= 253 && HOSTNAME.matcher(s).matches()),
          Map.entry("ipv4", s -> IPV4.matcher(s).matches()),
          Map.entry("ipv6", Formats::ipv6),
          Map.entry("cidr", Formats::cidr),
          Map.entry("mac", s -> MAC.matcher(s).matches()),
          Map.entry("hexcolor", s -> HEXCOLOR.matcher(s).matches()),
          Map.entry("uri", Formats::uri));

  /** Whether a string is valid for the format; true for formats that are not checked. */
  static boolean valid(String format, String value) {
    Predicate<String> check = CHECKS.get(format);
    return check == null || check.test(value);
  }

  private static boolean base64(String s) {
    try {
      Base64.getDecoder().decode(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean date(String s) {
    try {
      LocalDate.parse(s);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static boolean dateTime(String s) {
    try {
      OffsetDateTime.parse(s);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static boolean ipv6(String s) {
    return s.contains(":") && s.matches("^[0-9A-Fa-f:.]+$") && inet(s);
  }

  private static boolean cidr(String s) {
    int slash = s.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String ip = s.substring(0, slash);
    String bits = s.substring(slash + 1);
    if (!bits.matches("^\\d{1,3}$")) {
      return false;
    }
    int n = Integer.parseInt(bits);
    if (IPV4.matcher(ip).matches()) {
      return n <= 32;
    }
    return ipv6(ip) && n <= 128;
  }

  private static boolean inet(String literal) {
    try {
      // A literal with only hex digits, colons and dots never triggers a DNS lookup.
      java.net.InetAddress.getByName("[" + literal + "]");
      return true;
    } catch (java.net.UnknownHostException | IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean uri(String s) {
    try {
      return new URI(s).isAbsolute();
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
