package io.flotilla.node.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.DefaultSpdyWindowUpdateFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * A server-side SPDY/3.1 connection as Kubernetes' httpstream uses it (moby/spdystream on the
 * client): the client opens every stream with SYN_STREAM and headers, the server accepts each with
 * SYN_REPLY; DATA frames carry bytes, FIN half-closes a stream, PINGs are echoed, windows are
 * refilled as data is taken (spdystream does not wait for them, but other clients may). Frames come
 * from Netty's {@code SpdyFrameCodec}; subclasses give the streams their meaning.
 *
 * <p>Threading: frames arrive on the event loop; {@link #send} and {@link #fin} may be called from
 * any thread ({@link #send} blocks until the frame is written).
 */
abstract class SpdyConnection extends ChannelInboundHandlerAdapter {
  protected ChannelHandlerContext ctx;

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      switch (msg) {
        case SpdySynStreamFrame syn -> {
          // Netty writes no header block at all for empty headers, which spdystream cannot parse
          // (it expects a compressed block even with no headers): reply with one header.
          DefaultSpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(syn.streamId());
          reply.headers().set(":status", "200");
          ctx.writeAndFlush(reply);
          onStream(syn);
        }
        case SpdyDataFrame data -> {
          int n = data.content().readableBytes();
          if (n > 0) {
            ctx.writeAndFlush(new DefaultSpdyWindowUpdateFrame(data.streamId(), n));
          }
          onData(data.streamId(), data.content(), data.isLast());
        }
        case SpdyRstStreamFrame rst -> onReset(rst.streamId());
        case SpdyPingFrame ping -> ctx.writeAndFlush(ping);
        case SpdyGoAwayFrame g -> ctx.close();
        default -> {
          // SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do.
        }
      }
    } finally {
      if (!(msg instanceof SpdyPingFrame)) {
        ReferenceCountUtil.release(msg);
      }
    }
  }

  /** A stream the client opened; its headers say what it is. */
  protected abstract void onStream(SpdySynStreamFrame syn);

  /** Bytes on a stream; {@code last} when the client half-closed it. Event loop; do not block. */
  protected abstract void onData(int streamId, ByteBuf content, boolean last);

  /** The client reset a stream. */
  protected void onReset(int streamId) {}

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  /** Sends bytes on a stream; false when the connection is gone. */
  boolean sendOn(int streamId, byte[] data, int length) {
    SpdyDataFrame f = new DefaultSpdyDataFrame(streamId, Unpooled.copiedBuffer(data, 0, length));
    return ctx.writeAndFlush(f).awaitUninterruptibly().isSuccess();
  }

  /** Half-closes a stream from this side (an empty DATA frame with FIN). */
  void fin(int streamId) {
    SpdyDataFrame f = new DefaultSpdyDataFrame(streamId);
    f.setLast(true);
    ctx.writeAndFlush(f);
  }

  /** Ends the connection with GOAWAY. */
  void goAway() {
    ctx.writeAndFlush(new DefaultSpdyGoAwayFrame(0))
        .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
  }

  static String header(SpdySynStreamFrame syn, String name) {
    String v = syn.headers().getAsString(name);
    return v == null ? "" : v;
  }
}
