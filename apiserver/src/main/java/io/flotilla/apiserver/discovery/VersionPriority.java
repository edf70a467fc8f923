package io.flotilla.apiserver.discovery;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes version ordering: GA before beta before alpha, higher numbers first within each ("v2"
 * > "v1" > "v2beta1" > "v1beta2" > "v1alpha1"); names that are not Kubernetes versions last,
 * alphabetically.
 */
final class VersionPriority {
  private static final Pattern KUBE = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

  static final Comparator<String> HIGHEST_FIRST =
      (a, b) -> {
        int ka = rank(a);
        int kb = rank(b);
        if (ka != kb) {
          return Integer.compare(kb, ka);
        }
        return ka == Integer.MIN_VALUE ? a.compareTo(b) : 0;
      };

  private VersionPriority() {}

  private static int rank(String v) {
    Matcher m = KUBE.matcher(v);
    if (!m.matches()) {
      return Integer.MIN_VALUE;
    }
    int major = Integer.parseInt(m.group(1));
    int stability = m.group(2) == null ? 3 : m.group(2).equals("beta") ? 2 : 1;
    int minor = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    return stability * 1_000_000 + major * 1_000 + minor;
  }
}
