package io.flotilla.node.runtime;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * One TCP connection to a port inside a pod's network namespace, opened for port-forwarding (CRI
 * PortForward). Threading: input and output may be used from two threads at once.
 */
public interface PortStream extends AutoCloseable {
  /** Bytes the pod's server sends; end-of-stream when it closes its side. */
  InputStream input();

  /** Bytes to the pod's server; closing it half-closes the connection. */
  OutputStream output();

  @Override
  void close();
}
