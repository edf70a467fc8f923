package io.flotilla.scheduler.framework;

/** A host port a container binds: protocol, host IP ("0.0.0.0" when unset) and port. */
public record HostPort(String protocol, String hostIp, int port) {
  public static final String ANY_IP = "0.0.0.0";

  public static HostPort of(String protocol, String hostIp, int port) {
    return new HostPort(
        protocol == null || protocol.isEmpty() ? "TCP" : protocol,
        hostIp == null || hostIp.isEmpty() ? ANY_IP : hostIp,
        port);
  }

  /** Two bindings clash on the same protocol and port when either listens on every address. */
  public boolean conflictsWith(HostPort o) {
    return port == o.port
        && protocol.equals(o.protocol)
        && (hostIp.equals(o.hostIp) || ANY_IP.equals(hostIp) || ANY_IP.equals(o.hostIp));
  }
}
