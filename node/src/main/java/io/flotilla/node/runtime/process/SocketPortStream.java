package io.flotilla.node.runtime.process;

import io.flotilla.node.runtime.PortStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A port-forward connection of the process runtime: pods share the host's network, so it is a TCP
 * connection to 127.0.0.1. Threading: input and output from two threads at once.
 */
final class SocketPortStream implements PortStream {
  private final Socket socket;

  private SocketPortStream(Socket socket) {
    this.socket = socket;
  }

  static SocketPortStream connect(int port) {
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      return new SocketPortStream(s);
    } catch (IOException e) {
      try {
        s.close();
      } catch (IOException ignored) {
        // Never opened.
      }
      throw new UncheckedIOException(
          "failed to connect to localhost:" + port + " inside namespace: " + e.getMessage(), e);
    }
  }

  @Override
  public InputStream input() {
    try {
      return socket.getInputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public OutputStream output() {
    try {
      OutputStream o = socket.getOutputStream();
      return new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          o.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          o.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          if (!socket.isClosed()) {
            socket.shutdownOutput();
          }
        }
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Closed already.
    }
  }
}
