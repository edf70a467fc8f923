package io.flotilla.api.crd;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Upstream's name rules (RFC 1123 subdomains, RFC 1035 labels) with upstream's messages. */
final class DnsNames {
  private DnsNames() {}

  private static final String LABEL_1123 = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final Pattern SUBDOMAIN = Pattern.compile(LABEL_1123 + "(\\." + LABEL_1123 + ")*");
  private static final Pattern LABEL_1035 = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

  static List<String> subdomain(String s) {
    List<String> problems = new ArrayList<>();
    if (s.length() > 253) {
      problems.add("must be no more than 253 characters");
    }
    if (!SUBDOMAIN.matcher(s).matches()) {
      problems.add(
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-'"
              + " or '.', and must start and end with an alphanumeric character (e.g."
              + " 'example.com', regex used for validation is '"
              + LABEL_1123
              + "(\\\\."
              + LABEL_1123
              + ")*')");
    }
    return problems;
  }

  static List<String> label1035(String s) {
    List<String> problems = new ArrayList<>();
    if (s.length() > 63) {
      problems.add("must be no more than 63 characters");
    }
    if (!LABEL_1035.matcher(s).matches()) {
      problems.add(
          "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with"
              + " an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', "
              + " or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
    }
    return problems;
  }
}
