package io.flotilla.node.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import io.flotilla.node.runtime.ExecResult;
import io.flotilla.node.runtime.Runtime;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;

/**
 * Runs the actions probes and lifecycle hooks share: exec (through the runtime's ExecSync), httpGet
 * (success is a status 200–399) and tcpSocket (success is a connection), against the pod's IP or
 * the action's host. Each returns null on success or a message saying what failed.
 *
 * <p>Threading: stateless; blocks up to the timeout given.
 */
public final class Handlers {
  private Handlers() {}

  public static String exec(Runtime rt, String containerId, ExecAction a, Duration timeout) {
    if (!rt.supportsExec()) {
      return rt.version().runtimeName() + " runtime cannot exec";
    }
    try {
      ExecResult r = rt.execSync(containerId, a.getCommand(), timeout);
      if (r.timedOut()) {
        return "command timed out after " + timeout.toSeconds() + "s";
      }
      return r.exitCode() == 0
          ? null
          : "command "
              + a.getCommand()
              + " exited with "
              + r.exitCode()
              + ": "
              + r.stdout()
              + r.stderr();
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }

  public static String httpGet(HTTPGetAction a, Container c, String podIp, Duration timeout) {
    String host = a.getHost() == null || a.getHost().isEmpty() ? podIp : a.getHost();
    int port = port(a.getPort(), c);
    String scheme = a.getScheme() == null ? "http" : a.getScheme().toLowerCase();
    String path = a.getPath() == null || a.getPath().isEmpty() ? "/" : a.getPath();
    if (!path.startsWith("/")) {
      path = "/" + path;
    }
    try {
      URI uri = URI.create(scheme + "://" + hostPart(host) + ":" + port + path);
      HttpURLConnection conn = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
      conn.setConnectTimeout((int) Math.max(timeout.toMillis(), 1));
      conn.setReadTimeout((int) Math.max(timeout.toMillis(), 1));
      conn.setInstanceFollowRedirects(false);
      conn.setRequestProperty("User-Agent", "kube-probe/1.32");
      conn.setRequestProperty("Accept", "*/*");
      if (a.getHttpHeaders() != null) {
        for (HTTPHeader h : a.getHttpHeaders()) {
          conn.setRequestProperty(h.getName(), h.getValue());
        }
      }
      int code = conn.getResponseCode();
      try (InputStream in = code >= 400 ? conn.getErrorStream() : conn.getInputStream()) {
        if (in != null) {
          in.readNBytes(10 * 1024);
        }
      }
      conn.disconnect();
      return code >= 200 && code < 400 ? null : "HTTP probe failed with statuscode: " + code;
    } catch (IOException | IllegalArgumentException e) {
      return "Get " + scheme + "://" + host + ":" + port + path + ": " + e.getMessage();
    }
  }

  public static String tcp(TCPSocketAction a, Container c, String podIp, Duration timeout) {
    String host = a.getHost() == null || a.getHost().isEmpty() ? podIp : a.getHost();
    int port = port(a.getPort(), c);
    try (Socket s = new Socket(Proxy.NO_PROXY)) {
      s.connect(new InetSocketAddress(host, port), (int) Math.max(timeout.toMillis(), 1));
      return null;
    } catch (IOException e) {
      return "dial tcp " + host + ":" + port + ": " + e.getMessage();
    }
  }

  /** A port number, or the named containerPort of {@code c}. */
  static int port(IntOrString p, Container c) {
    if (p == null) {
      throw new ConfigError("probe or hook has no port");
    }
    if (p.getIntVal() != null) {
      return p.getIntVal();
    }
    String name = p.getStrVal();
    if (c.getPorts() != null) {
      for (ContainerPort cp : c.getPorts()) {
        if (name.equals(cp.getName())) {
          return cp.getContainerPort();
        }
      }
    }
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      throw new ConfigError(
          "port \"" + name + "\" is not a named port of container " + c.getName());
    }
  }

  private static String hostPart(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
