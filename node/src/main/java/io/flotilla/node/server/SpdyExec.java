package io.flotilla.node.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.node.runtime.StreamOptions;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Exec and attach over SPDY/3.1 (remotecommand protocols {@code v5.channel.k8s.io}, the same as v4
 * over SPDY where a stream's FIN already closes stdin, down to {@code channel.k8s.io}): the client
 * opens streams with header {@code streamType} {@code error}, {@code stdin}, {@code stdout}, {@code
 * stderr} and (with a terminal, v3 and later) {@code resize}; once all it asked for are open the
 * session starts. The end: v4 writes the Status JSON to the error stream, older versions only a
 * failure's message; then every stream is finished and the connection closed.
 *
 * <p>Threading: see {@link SpdyConnection}; the bridge starts on the event loop once the streams
 * are complete.
 */
final class SpdyExec extends SpdyConnection implements StreamWire {
  private final String version;
  private final StreamOptions options;
  private final Function<StreamWire, ExecBridge> bridges;
  private final Map<String, Integer> streams = new HashMap<>();
  private final ByteArrayOutputStream resizeBuf = new ByteArrayOutputStream();
  private ExecBridge bridge;

  SpdyExec(String version, StreamOptions options, Function<StreamWire, ExecBridge> bridges) {
    this.version = version;
    this.options = options;
    this.bridges = bridges;
  }

  private int expected() {
    int n = 1;
    n += options.stdin() ? 1 : 0;
    n += options.stdout() ? 1 : 0;
    n += options.stderr() ? 1 : 0;
    n += options.tty() && !version.equals("channel.k8s.io") && !version.startsWith("v2.") ? 1 : 0;
    return n;
  }

  @Override
  protected void onStream(SpdySynStreamFrame syn) {
    String type = header(syn, "streamtype");
    streams.put(type, syn.streamId());
    if (bridge == null && streams.size() >= expected()) {
      bridge = bridges.apply(this);
      bridge.start();
    }
  }

  @Override
  protected void onData(int streamId, ByteBuf content, boolean last) {
    if (bridge == null) {
      return;
    }
    byte[] data = new byte[content.readableBytes()];
    content.readBytes(data);
    if (Integer.valueOf(streamId).equals(streams.get("stdin"))) {
      bridge.stdin(data);
      if (last) {
        bridge.stdinEof();
      }
    } else if (Integer.valueOf(streamId).equals(streams.get("resize"))) {
      for (byte b : data) {
        if (b == '\n') {
          bridge.resize(resizeBuf.toByteArray());
          resizeBuf.reset();
        } else {
          resizeBuf.write(b);
        }
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (bridge != null) {
      bridge.clientGone();
    }
  }

  @Override
  public boolean send(int stream, byte[] data, int length) {
    Integer id = streams.get(stream == STDOUT ? "stdout" : "stderr");
    return id != null && sendOn(id, data, length);
  }

  @Override
  public void finish(ObjectNode status) {
    Integer error = streams.get("error");
    if (error != null) {
      boolean success = "Success".equals(status.path("status").asText());
      byte[] b =
          version.equals(WebSocketChannels.V4) || version.equals(WebSocketChannels.V5)
              ? Statuses.bytes(status)
              : success
                  ? new byte[0]
                  : status.path("message").asText().getBytes(StandardCharsets.UTF_8);
      if (b.length > 0) {
        sendOn(error, b, b.length);
      }
    }
    for (String s : new String[] {"stdout", "stderr", "error"}) {
      Integer id = streams.get(s);
      if (id != null) {
        fin(id);
      }
    }
    goAway();
  }
}
