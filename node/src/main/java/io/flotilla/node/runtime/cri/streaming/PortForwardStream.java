package io.flotilla.node.runtime.cri.streaming;

import io.flotilla.node.runtime.PortStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One forwarded TCP connection over SPDY with protocol {@code portforward.k8s.io}: an error stream
 * and a data stream sharing {@code port} and {@code requestID} headers, as kubectl opens them. The
 * runtime dials the port on 127.0.0.1 inside the pod's network namespace when the data stream
 * arrives; if that fails it writes the reason on the error stream, which this class turns into an
 * {@link IOException} on the input. One connection per stream keeps the lifetimes simple (the
 * runtime's URL is single-use anyway).
 *
 * <p>Threading: input and output may be used from two threads at once; {@link #close} from any.
 */
public final class PortForwardStream implements PortStream {
  /** The SPDY port-forward protocol of kubelet's streaming server. */
  public static final String PROTOCOL = "portforward.k8s.io";

  private final SpdyConnection connection;
  private final SpdyStream data;
  private final InputStream input;

  private PortForwardStream(SpdyConnection connection, SpdyStream error, SpdyStream data) {
    this.connection = connection;
    this.data = data;
    this.input = new ErrorAwareInput(data.input(), error.input());
  }

  /** Opens the stream pair for {@code port} on an upgraded connection. */
  public static PortForwardStream start(SpdyConnection connection, int port) {
    if (!PROTOCOL.equals(connection.protocol())) {
      connection.close();
      throw new UncheckedIOException(
          new IOException(
              "the runtime's streaming server chose protocol '"
                  + connection.protocol()
                  + "', expected "
                  + PROTOCOL));
    }
    String p = Integer.toString(port);
    SpdyStream error =
        connection.openStream(Map.of("streamtype", "error", "port", p, "requestid", "0"));
    SpdyStream data =
        connection.openStream(Map.of("streamtype", "data", "port", p, "requestid", "0"));
    try {
      // Nothing is ever written on the error stream by the client (kubectl closes it at once).
      error.output().close();
    } catch (IOException e) {
      connection.close();
      throw new UncheckedIOException(e);
    }
    return new PortForwardStream(connection, error, data);
  }

  @Override
  public InputStream input() {
    return input;
  }

  @Override
  public OutputStream output() {
    return data.output();
  }

  @Override
  public void close() {
    connection.close();
  }

  /**
   * The data stream's bytes; at its end, whatever the runtime wrote on the error stream (a failed
   * dial, say) is thrown instead of a quiet end-of-stream.
   */
  private static final class ErrorAwareInput extends InputStream {
    private final InputStream data;
    private final InputStream error;

    ErrorAwareInput(InputStream data, InputStream error) {
      this.data = data;
      this.error = error;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = data.read(b, off, len);
      if (n < 0) {
        String message = new String(error.readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!message.isEmpty()) {
          throw new IOException("port-forward failed: " + message);
        }
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      data.close();
    }
  }
}
