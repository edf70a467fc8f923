package io.flotilla.apiserver.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import java.util.List;

/**
 * Builds each connection's pipeline. With TLS, ALPN picks h2 or http/1.1; without, a connection
 * that opens with the HTTP/2 preface speaks h2c (prior knowledge), anything else HTTP/1.1. Every
 * HTTP/2 stream gets its own child channel whose pipeline converts frames to HTTP objects, so one
 * {@link RequestDispatcher} serves both protocols.
 */
public final class ServerInitializer extends ChannelInitializer<SocketChannel> {
  /** Flushes merged at most into one, so that a long burst still goes out in pieces. */
  private static final int MAX_FLUSHES_CONSOLIDATED = 256;

  private final SslContext ssl;
  private final ServerState state;

  public ServerInitializer(SslContext ssl, ServerState state) {
    this.ssl = ssl;
    this.state = state;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    if (ssl != null) {
      ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
      ch.pipeline()
          .addLast(
              new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
                @Override
                protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                  if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                    http2(ctx.pipeline());
                  } else {
                    http1(ctx.pipeline());
                  }
                }
              });
    } else {
      ch.pipeline().addLast(new PrefaceDetector());
    }
  }

  private void http1(ChannelPipeline p) {
    // Long label selectors make long request lines; upstream accepts them too.
    p.addLast(new HttpServerCodec(16 * 1024, 64 * 1024, 8192));
    p.addLast(new BoundedAggregator());
    p.addLast(new RequestDispatcher(state, false));
  }

  private void http2(ChannelPipeline p) {
    Http2Settings settings = Http2Settings.defaultSettings().maxConcurrentStreams(1000);
    // Each stream's reply (or watch event) flushes on its own; below the HTTP/2 codec, flushes of
    // many streams during one event-loop turn become one TLS write and one syscall.
    p.addLast(new FlushConsolidationHandler(MAX_FLUSHES_CONSOLIDATED, true));
    p.addLast(Http2FrameCodecBuilder.forServer().initialSettings(settings).build());
    p.addLast(
        new Http2MultiplexHandler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel stream) {
                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true));
                stream.pipeline().addLast(new BoundedAggregator());
                stream.pipeline().addLast(new RequestDispatcher(state, true));
              }
            }));
  }

  /** Reads just enough of a cleartext connection to tell h2c prior knowledge from HTTP/1.1. */
  private final class PrefaceDetector extends ByteToMessageDecoder {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      ByteBuf preface = Http2CodecUtil.connectionPrefaceBuf();
      try {
        int n = Math.min(in.readableBytes(), preface.readableBytes());
        if (!ByteBufUtil.equals(in, in.readerIndex(), preface, 0, n)) {
          http1(ctx.pipeline());
        } else if (n < preface.readableBytes()) {
          return;
        } else {
          http2(ctx.pipeline());
        }
        ctx.pipeline().remove(this);
      } finally {
        preface.release();
      }
    }
  }
}
