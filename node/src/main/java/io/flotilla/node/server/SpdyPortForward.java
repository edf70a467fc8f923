package io.flotilla.node.server;

import io.flotilla.node.LocatedPod;
import io.flotilla.node.runtime.PortStream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Port-forwarding over SPDY/3.1 ({@code portforward.k8s.io}), plain or inside WebSocket messages:
 * for each forwarded connection the client opens an {@code error} stream and a {@code data} stream
 * with the same {@code port} and {@code requestID} headers. Once the data stream is open a TCP
 * connection to the port is opened through the runtime and the bytes are copied both ways; a
 * failure is written to the error stream as text (kubelet's message). When both directions are done
 * both streams are finished.
 *
 * <p>Threading: frames arrive on the event loop; each connection has a platform thread reading from
 * the pod and one writing to it (fed by a queue, so the event loop never blocks).
 */
final class SpdyPortForward extends SpdyConnection {
  private static final byte[] EOF = new byte[0];

  private final LocatedPod pod;
  private final Map<String, Integer> errorStreams = new HashMap<>();
  private final Map<Integer, Forward> byDataStream = new HashMap<>();

  SpdyPortForward(LocatedPod pod) {
    this.pod = pod;
  }

  /** One forwarded connection. */
  private final class Forward {
    final int port;
    final int dataStream;
    final String requestId;
    final LinkedBlockingQueue<byte[]> toPod = new LinkedBlockingQueue<>();
    volatile PortStream conn;

    Forward(int port, int dataStream, String requestId) {
      this.port = port;
      this.dataStream = dataStream;
      this.requestId = requestId;
    }

    void run() {
      PortStream c;
      try {
        c = pod.runtime().portForward(pod.sandboxId(), port);
      } catch (RuntimeException e) {
        fail(e.getMessage());
        return;
      }
      conn = c;
      Thread writer =
          Thread.ofPlatform().daemon().name("flotilla-portforward-in").start(() -> toPod(c));
      byte[] buf = new byte[32 * 1024];
      try (InputStream in = c.input()) {
        int n;
        while ((n = in.read(buf)) != -1) {
          if (n > 0 && !sendOn(dataStream, buf, n)) {
            break;
          }
        }
      } catch (IOException e) {
        // The pod closed the connection.
      }
      fin(dataStream);
      try {
        writer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      c.close();
      Integer err = errorStreamFor(requestId);
      if (err != null) {
        fin(err);
      }
    }

    private void toPod(PortStream c) {
      try (OutputStream out = c.output()) {
        while (true) {
          byte[] b = toPod.take();
          if (b == EOF) {
            break;
          }
          out.write(b);
          out.flush();
        }
      } catch (IOException e) {
        // The pod went away; the reader sees it too.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void fail(String why) {
      String msg =
          "error forwarding port "
              + port
              + " to pod "
              + pod.name()
              + ", uid "
              + pod.uid()
              + ": "
              + why;
      Integer err = errorStreamFor(requestId);
      if (err != null) {
        byte[] b = msg.getBytes(StandardCharsets.UTF_8);
        sendOn(err, b, b.length);
        fin(err);
      }
      fin(dataStream);
    }
  }

  private synchronized Integer errorStreamFor(String requestId) {
    return errorStreams.get(requestId);
  }

  @Override
  protected void onStream(SpdySynStreamFrame syn) {
    String type = header(syn, "streamtype");
    String requestId = header(syn, "requestid");
    if (requestId.isEmpty()) {
      requestId = header(syn, "port");
    }
    if (type.equals("error")) {
      synchronized (this) {
        errorStreams.put(requestId, syn.streamId());
      }
      return;
    }
    if (!type.equals("data")) {
      return;
    }
    int port;
    try {
      port = Integer.parseInt(header(syn, "port"));
      if (port <= 0 || port > 65535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      Forward f = new Forward(0, syn.streamId(), requestId);
      f.fail("invalid port \"" + header(syn, "port") + "\"");
      return;
    }
    Forward f = new Forward(port, syn.streamId(), requestId);
    byDataStream.put(syn.streamId(), f);
    Thread.ofPlatform().daemon().name("flotilla-portforward").start(f::run);
  }

  @Override
  protected void onData(int streamId, ByteBuf content, boolean last) {
    Forward f = byDataStream.get(streamId);
    if (f == null) {
      return;
    }
    if (content.isReadable()) {
      byte[] b = new byte[content.readableBytes()];
      content.readBytes(b);
      f.toPod.offer(b);
    }
    if (last) {
      f.toPod.offer(EOF);
    }
  }

  @Override
  protected void onReset(int streamId) {
    Forward f = byDataStream.remove(streamId);
    if (f != null) {
      f.toPod.offer(EOF);
      PortStream c = f.conn;
      if (c != null) {
        c.close();
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    for (Forward f : byDataStream.values()) {
      onResetQuietly(f);
    }
    byDataStream.clear();
  }

  private static void onResetQuietly(Forward f) {
    f.toPod.offer(EOF);
    PortStream c = f.conn;
    if (c != null) {
      c.close();
    }
  }
}
