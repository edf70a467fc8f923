package io.flotilla.api.validation;

import java.util.List;

/** How a kind's object names are checked (metadata.name and metadata.generateName). */
public enum NameRule {
  /** A DNS (RFC 1123) subdomain: most kinds. */
  DNS_SUBDOMAIN,
  /** A DNS (RFC 1123) label: namespaces. */
  DNS_LABEL,
  /** A DNS (RFC 1035) label, starting with a letter: services. */
  DNS1035_LABEL,
  /** Anything usable as one URL path segment: RBAC roles and bindings (which allow ':'). */
  PATH_SEGMENT;

  /**
   * The problems with {@code name}. With {@code prefix} the name is a generateName prefix, whose
   * trailing dashes are allowed because random characters follow them.
   */
  public List<String> check(String name, boolean prefix) {
    String checked = prefix ? maskTrailingDash(name) : name;
    return switch (this) {
      case DNS_SUBDOMAIN -> Names.dns1123Subdomain(checked);
      case DNS_LABEL -> Names.dns1123Label(checked);
      case DNS1035_LABEL -> Names.dns1035Label(checked);
      case PATH_SEGMENT -> Names.pathSegmentName(checked);
    };
  }

  private static String maskTrailingDash(String name) {
    if (name.length() > 1 && name.endsWith("-")) {
      return name.substring(0, name.length() - 2) + "a";
    }
    return name;
  }
}
