package io.flotilla.api.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks for the name formats the Kubernetes API uses: DNS labels and subdomains, qualified names
 * (label keys), label values, config keys, environment variable names and port names. Each check
 * returns the problems found, worded as upstream words them, or an empty list when the value is
 * valid. Stateless and thread-safe.
 */
public final class Names {
  private Names() {}

  public static final int DNS1123_LABEL_MAX = 63;
  public static final int DNS1123_SUBDOMAIN_MAX = 253;
  public static final int LABEL_VALUE_MAX = 63;
  public static final int QUALIFIED_NAME_MAX = 63;

  private static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String DNS1123_SUBDOMAIN_FMT =
      DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
  private static final String DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
  private static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";
  private static final String CONFIG_KEY_FMT = "[-._a-zA-Z0-9]+";
  private static final String ENV_VAR_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*";
  private static final String C_IDENTIFIER_FMT = "[A-Za-z_][A-Za-z0-9_]*";

  private static final Pattern DNS1123_LABEL = Pattern.compile(DNS1123_LABEL_FMT);
  private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN_FMT);
  private static final Pattern DNS1035_LABEL = Pattern.compile(DNS1035_LABEL_FMT);
  private static final Pattern QUALIFIED_NAME = Pattern.compile(QUALIFIED_NAME_FMT);
  private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);
  private static final Pattern CONFIG_KEY = Pattern.compile(CONFIG_KEY_FMT);
  private static final Pattern ENV_VAR = Pattern.compile(ENV_VAR_FMT);
  private static final Pattern C_IDENTIFIER = Pattern.compile(C_IDENTIFIER_FMT);
  private static final Pattern PORT_NAME_CHARS = Pattern.compile("[-a-z0-9]+");

  static final String DNS1123_LABEL_MSG =
      regexError(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-',"
              + " and must start and end with an alphanumeric character",
          DNS1123_LABEL_FMT,
          "my-name",
          "123-abc");
  static final String DNS1123_SUBDOMAIN_MSG =
      regexError(
          "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-'"
              + " or '.', and must start and end with an alphanumeric character",
          DNS1123_SUBDOMAIN_FMT,
          "example.com");
  static final String DNS1035_LABEL_MSG =
      regexError(
          "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with"
              + " an alphabetic character, and end with an alphanumeric character",
          DNS1035_LABEL_FMT,
          "my-name",
          "abc-123");
  private static final String QUALIFIED_NAME_ERR =
      "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an"
          + " alphanumeric character";
  static final String QUALIFIED_NAME_PART_MSG =
      regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc");
  static final String LABEL_VALUE_MSG =
      regexError(
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_'"
              + " or '.', and must start and end with an alphanumeric character",
          LABEL_VALUE_FMT,
          "MyValue",
          "my_value",
          "12345");
  static final String CONFIG_KEY_MSG =
      regexError(
          "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
          CONFIG_KEY_FMT,
          "key.name",
          "KEY_NAME",
          "key-name");
  static final String ENV_VAR_MSG =
      regexError(
          "a valid environment variable name must consist of alphabetic characters, digits, '_',"
              + " '-', or '.', and must not start with a digit",
          ENV_VAR_FMT,
          "my.env-name",
          "MY_ENV.NAME",
          "MyEnvName1");
  static final String C_IDENTIFIER_MSG =
      regexError(
          "a valid C identifier must start with alphabetic character or '_', followed by a string"
              + " of alphanumeric characters or '_'",
          C_IDENTIFIER_FMT,
          "my_name",
          "MY_NAME",
          "MyName");

  /** A DNS (RFC 1123) label: at most 63 lower-case alphanumerics or '-'. */
  public static List<String> dns1123Label(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > DNS1123_LABEL_MAX) {
      errs.add(maxLen(DNS1123_LABEL_MAX));
    }
    if (!DNS1123_LABEL.matcher(value).matches()) {
      // A valid subdomain of legal length that is no label can only be wrong by its dots.
      errs.add(
          DNS1123_SUBDOMAIN.matcher(value).matches() ? "must not contain dots" : DNS1123_LABEL_MSG);
    }
    return errs;
  }

  /** A DNS (RFC 1123) subdomain: dot-separated labels, at most 253 characters. */
  public static List<String> dns1123Subdomain(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > DNS1123_SUBDOMAIN_MAX) {
      errs.add(maxLen(DNS1123_SUBDOMAIN_MAX));
    }
    if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
      errs.add(DNS1123_SUBDOMAIN_MSG);
    }
    return errs;
  }

  /** A DNS (RFC 1035) label: like an RFC 1123 label but starting with a letter. */
  public static List<String> dns1035Label(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > DNS1123_LABEL_MAX) {
      errs.add(maxLen(DNS1123_LABEL_MAX));
    }
    if (!DNS1035_LABEL.matcher(value).matches()) {
      errs.add(DNS1035_LABEL_MSG);
    }
    return errs;
  }

  /**
   * A qualified name, the format of label and annotation keys and finalizers: an optional DNS
   * subdomain prefix and '/', then a name of at most 63 characters.
   */
  public static List<String> qualifiedName(String value) {
    List<String> errs = new ArrayList<>();
    String[] parts = value.split("/", -1);
    String name;
    if (parts.length == 1) {
      name = parts[0];
    } else if (parts.length == 2) {
      String prefix = parts[0];
      name = parts[1];
      if (prefix.isEmpty()) {
        errs.add("prefix part must be non-empty");
      } else {
        dns1123Subdomain(prefix).forEach(m -> errs.add("prefix part " + m));
      }
    } else {
      errs.add(
          "a qualified name "
              + regexError(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
              + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return errs;
    }
    if (name.isEmpty()) {
      errs.add("name part must be non-empty");
    } else if (name.length() > QUALIFIED_NAME_MAX) {
      errs.add("name part " + maxLen(QUALIFIED_NAME_MAX));
    }
    if (!QUALIFIED_NAME.matcher(name).matches()) {
      errs.add("name part " + QUALIFIED_NAME_PART_MSG);
    }
    return errs;
  }

  /** A label value: empty, or at most 63 alphanumerics, '-', '_' or '.', alphanumeric at ends. */
  public static List<String> labelValue(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > LABEL_VALUE_MAX) {
      errs.add(maxLen(LABEL_VALUE_MAX));
    }
    if (!LABEL_VALUE.matcher(value).matches()) {
      errs.add(LABEL_VALUE_MSG);
    }
    return errs;
  }

  /** A key of a ConfigMap's or Secret's data. */
  public static List<String> configMapKey(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > DNS1123_SUBDOMAIN_MAX) {
      errs.add(maxLen(DNS1123_SUBDOMAIN_MAX));
    }
    if (!CONFIG_KEY.matcher(value).matches()) {
      errs.add(CONFIG_KEY_MSG);
    }
    errs.addAll(chDirPrefix(value));
    return errs;
  }

  /** An environment variable name. */
  public static List<String> envVarName(String value) {
    List<String> errs = new ArrayList<>();
    if (!ENV_VAR.matcher(value).matches()) {
      errs.add(ENV_VAR_MSG);
    }
    errs.addAll(chDirPrefix(value));
    return errs;
  }

  /** An identifier as in C, the format of a ConfigMap key imported with envFrom prefix rules. */
  public static List<String> cIdentifier(String value) {
    return C_IDENTIFIER.matcher(value).matches() ? List.of() : List.of(C_IDENTIFIER_MSG);
  }

  /** A name that is safe as one segment of a URL path (RBAC roles allow ':'). */
  public static List<String> pathSegmentName(String value) {
    List<String> errs = new ArrayList<>();
    if (value.equals(".") || value.equals("..")) {
      errs.add("may not be '" + value + "'");
    }
    if (value.contains("/")) {
      errs.add("may not contain '/'");
    }
    if (value.contains("%")) {
      errs.add("may not contain '%'");
    }
    return errs;
  }

  /** An IANA service (port) name: at most 15 of [-a-z0-9], at least one letter. */
  public static List<String> portName(String value) {
    List<String> errs = new ArrayList<>();
    if (value.length() > 15) {
      errs.add(maxLen(15));
    }
    if (!PORT_NAME_CHARS.matcher(value).matches()) {
      errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if (value.chars().noneMatch(c -> c >= 'a' && c <= 'z')) {
      errs.add("must contain at least one letter (a-z)");
    }
    if (value.contains("--")) {
      errs.add("must not contain consecutive hyphens");
    }
    if (!value.isEmpty() && (value.startsWith("-") || value.endsWith("-"))) {
      errs.add("must not begin or end with a hyphen");
    }
    return errs;
  }

  /** "must be no more than N characters". */
  public static String maxLen(int length) {
    return "must be no more than " + length + " characters";
  }

  /** "must be between LO and HI, inclusive". */
  public static String inclusiveRange(long lo, long hi) {
    return "must be between " + lo + " and " + hi + ", inclusive";
  }

  private static List<String> chDirPrefix(String value) {
    if (value.equals(".")) {
      return List.of("must not be '.'");
    }
    if (value.equals("..")) {
      return List.of("must not be '..'");
    }
    if (value.startsWith("..")) {
      return List.of("must not start with '..'");
    }
    return List.of();
  }

  /** Upstream's wording of a regular-expression failure, with examples. */
  static String regexError(String msg, String fmt, String... examples) {
    if (examples.length == 0) {
      return msg + " (regex used for validation is '" + fmt + "')";
    }
    StringBuilder b = new StringBuilder(msg).append(" (e.g. ");
    for (int i = 0; i < examples.length; i++) {
      if (i > 0) {
        b.append(" or ");
      }
      b.append('\'').append(examples[i]).append("', ");
    }
    return b.append("regex used for validation is '").append(fmt).append("')").toString();
  }
}
