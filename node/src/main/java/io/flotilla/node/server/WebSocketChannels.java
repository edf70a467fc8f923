package io.flotilla.node.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * The WebSocket channel protocols {@code v4.channel.k8s.io} and {@code v5.channel.k8s.io} for exec
 * and attach: every binary message starts with its channel (0 stdin, 1 stdout, 2 stderr, 3 the
 * final Status, 4 terminal resize); v5 adds 255, {@code [255, channel]}, by which the client closes
 * its stdin.
 *
 * <p>Threading: frames arrive on the event loop and go to the {@link ExecBridge}; {@link #send} and
 * {@link #finish} are called from the bridge's threads.
 */
final class WebSocketChannels extends SimpleChannelInboundHandler<WebSocketFrame>
    implements StreamWire {
  static final String V5 = "v5.channel.k8s.io";
  static final String V4 = "v4.channel.k8s.io";

  private final boolean v5;
  private final int firstChannel;
  private ChannelHandlerContext ctx;
  private ExecBridge bridge;

  /**
   * @param firstChannel the lowest channel the server writes (1 with stdout, 2 with stderr only,
   *     else 3): an empty message on it tells the client the session is set up, as upstream does
   */
  WebSocketChannels(boolean v5, int firstChannel) {
    this.v5 = v5;
    this.firstChannel = firstChannel;
  }

  void bridge(ExecBridge b) {
    this.bridge = b;
  }

  /** Starts the session once the handshake answer is on its way. */
  void startBridge() {
    ctx.writeAndFlush(
        new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {(byte) firstChannel})));
    bridge.start();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof BinaryWebSocketFrame) {
      ByteBuf b = frame.content();
      if (!b.isReadable()) {
        return;
      }
      int channel = b.readUnsignedByte();
      byte[] data = new byte[b.readableBytes()];
      b.readBytes(data);
      switch (channel) {
        case 0 -> bridge.stdin(data);
        case 4 -> bridge.resize(data);
        case 255 -> {
          if (v5 && data.length > 0 && data[0] == 0) {
            bridge.stdinEof();
          }
        }
        default -> {
          // Other channels carry nothing from the client.
        }
      }
    } else if (frame instanceof CloseWebSocketFrame) {
      ctx.writeAndFlush(new CloseWebSocketFrame()).addListener(ChannelFutureListener.CLOSE);
    } else if (frame instanceof PingWebSocketFrame) {
      ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    bridge.clientGone();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  @Override
  public boolean send(int stream, byte[] data, int length) {
    ByteBuf b = Unpooled.buffer(length + 1);
    b.writeByte(stream);
    b.writeBytes(data, 0, length);
    return ctx.writeAndFlush(new BinaryWebSocketFrame(b)).awaitUninterruptibly().isSuccess();
  }

  @Override
  public void finish(ObjectNode status) {
    byte[] json = Statuses.bytes(status);
    ByteBuf b = Unpooled.buffer(json.length + 1);
    b.writeByte(3);
    b.writeBytes(json);
    ctx.write(new BinaryWebSocketFrame(b));
    ctx.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
  }
}
