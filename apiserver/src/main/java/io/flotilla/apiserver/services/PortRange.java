package io.flotilla.apiserver.services;

/**
 * The node ports Services may use, both ends included, as "30000-32767".
 *
 * @param first the lowest port
 * @param last the highest port
 */
public record PortRange(int first, int last) {
  /** Upstream's default. */
  public static final String DEFAULT = "30000-32767";

  public PortRange {
    if (first < 1 || last > 65535 || first > last) {
      throw new IllegalArgumentException(
          "the node port range must lie within 1-65535 with its first port not above its last, got "
              + first
              + "-"
              + last);
    }
  }

  /** Parses "first-last" (or "first+count" as upstream also accepts). */
  public static PortRange parse(String s) {
    String spec = s == null ? "" : s.strip();
    int plus = spec.indexOf('+');
    int dash = spec.indexOf('-');
    int sep = plus > 0 ? plus : dash;
    try {
      if (sep <= 0) {
        throw new NumberFormatException();
      }
      int a = Integer.parseInt(spec.substring(0, sep));
      int b = Integer.parseInt(spec.substring(sep + 1));
      return plus > 0 ? new PortRange(a, a + b - 1) : new PortRange(a, b);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "the node port range must look like 30000-32767, got '" + s + "'");
    }
  }

  public int size() {
    return last - first + 1;
  }

  public boolean contains(long port) {
    return port >= first && port <= last;
  }

  @Override
  public String toString() {
    return first + "-" + last;
  }
}
